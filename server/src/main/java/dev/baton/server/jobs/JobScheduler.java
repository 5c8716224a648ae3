package dev.baton.server.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.fleet.AgentRecord;
import dev.baton.server.fleet.FreeAgentIndex;
import dev.baton.server.fleet.Fleet;

/**
 * Places ready jobs on agents. Event-driven: a pass runs when something could change a placement
 * (a submit, a freed slot, an agent joining or undrained), coalesced so that a burst of events
 * costs one pass. Highest priority first, FIFO within a priority; each job goes to the least-loaded
 * eligible agent (labels match, enough free slots, not draining, not avoiding the job).
 *
 * <p>Cost per job is O(log agents): agents with free slots are kept least-loaded first in the
 * fleet's {@link FreeAgentIndex}, and a job that cannot be placed is explained once per pass per
 * distinct set of requirements (the explanation walks the fleet), not once per job.
 */
public final class JobScheduler {

    private final ControlLoop loop;
    private final JobBook book;
    private final Fleet fleet;
    private final JobLifecycle lifecycle;
    private boolean passQueued;
    /** The fleet version at which every job left in the queue was last explained (-1: never). */
    private long explainedQueueAt = -1;
    /**
     * Reasons for jobs that wait because no agent has a free slot, by requirements, valid for the
     * fleet version {@link #busyReasonsAt}: with nothing free, whether an agent counts as busy,
     * draining or too small depends only on the fleet's topology, so a full fleet is walked once per
     * topology change instead of once per pass (a pass per freed slot while the queue grows).
     */
    private final Map<JobRequirements, String> busyReasons = new HashMap<>();
    private long busyReasonsAt = -1;

    public JobScheduler(ControlLoop loop, JobBook book, Fleet fleet, JobLifecycle lifecycle) {
        this.loop = loop;
        this.book = book;
        this.fleet = fleet;
        this.lifecycle = lifecycle;
    }

    /** Asks for one pass soon; many requests before it runs cost one pass. Any thread. */
    public void requestPass() {
        if (loop.inLoop()) {
            queuePass();
        } else {
            loop.execute(this::queuePass);
        }
    }

    private void queuePass() {
        if (!passQueued) {
            passQueued = true;
            loop.execute(this::pass);
        }
    }

    /** One placement pass over the ready queue. */
    void pass() {
        passQueued = false;
        if (book.ready().isEmpty()) {
            return;
        }
        FreeAgentIndex free = fleet.freeAgents();
        Map<JobRequirements, String> explained = new HashMap<>();
        NavigableSet<JobRecord> ready = book.ready();
        List<JobRecord> newlyReady = book.takeNewlyReady();
        JobRecord r = ready.first();
        while (r != null && !free.isEmpty()) {
            // Navigate by key, not by iterator: assigning removes r from the queue.
            JobRecord next = ready.higher(r);
            AgentRecord best = pick(r, free);
            if (best == null) {
                explain(r, explained);
            } else {
                lifecycle.assign(r, best);
            }
            r = next;
        }
        if (r == null) {
            return;
        }
        if (busyReasonsAt != fleet.topologyVersion()) {
            busyReasonsAt = fleet.topologyVersion();
            busyReasons.clear();
        }
        explained = busyReasons;
        // Nothing is free: the rest of the queue waits. Explaining is needed only for jobs that have
        // no reason for the current fleet: all of them after the fleet changed, else the new ones.
        // A queue behind a busy fleet then costs nothing per freed slot.
        if (explainedQueueAt != fleet.topologyVersion()) {
            explainedQueueAt = fleet.topologyVersion();
            // A copy: a new reason re-files the job in the queue.
            for (JobRecord waiting : new ArrayList<>(ready.tailSet(r, true))) {
                explain(waiting, explained);
            }
            return;
        }
        for (JobRecord waiting : newlyReady) {
            if (ready.contains(waiting)) {
                explain(waiting, explained);
            }
        }
    }

    /**
     * Gives a waiting job its reason. Reasons are recomputed only when the fleet changed since the
     * job's last one, so a long queue behind a busy fleet costs nothing per freed slot; and jobs with
     * the same requirements share one walk of the fleet per pass.
     */
    private void explain(JobRecord r, Map<JobRequirements, String> explained) {
        if (r.explainedAt == fleet.topologyVersion() && r.explainedAt >= 0) {
            return;
        }
        r.explainedAt = fleet.topologyVersion();
        String reason = explained.computeIfAbsent(r.job().getRequirements(),
                                                  requirements -> PlacementExplainer.explain(requirements, fleet.all()));
        if (reason.equals(PlacementExplainer.WAITING)) {
            Map<String, Instant> avoided = r.avoidedAfter(loop.time().now());
            if (!avoided.isEmpty()) {
                Job job = r.job();
                int last = job.getAttemptsCount() - 1;
                reason = PlacementExplainer.passedOver(avoided, last < 0 ? "" : job.getAttempts(last).getReason());
            }
        }
        lifecycle.setPendingReason(r, reason);
    }

    private AgentRecord pick(JobRecord r, FreeAgentIndex free) {
        JobRequirements requirements = r.job().getRequirements();
        return free.first(r.slots(), agent -> Placement.labelsMatch(agent, requirements) && !lifecycle.avoids(r, agent));
    }
}
