package dev.baton.server.jobs;

import java.util.ArrayList;
import java.util.List;

import dev.baton.server.control.ControlLoop;
import dev.baton.server.fleet.AgentRecord;
import dev.baton.server.fleet.Fleet;

/**
 * Places ready jobs on agents. Event-driven: a pass runs when something could change a placement
 * (a submit, a freed slot, an agent joining or undrained), coalesced so that a burst of events
 * costs one pass. Highest priority first, FIFO within a priority; each job goes to the least-loaded
 * eligible agent (labels match, enough free slots, not draining, not avoiding the job).
 */
public final class JobScheduler {

    private final ControlLoop loop;
    private final JobBook book;
    private final Fleet fleet;
    private final JobLifecycle lifecycle;
    private boolean passQueued;

    public JobScheduler(ControlLoop loop, JobBook book, Fleet fleet, JobLifecycle lifecycle) {
        this.loop = loop;
        this.book = book;
        this.fleet = fleet;
        this.lifecycle = lifecycle;
    }

    /** Asks for one pass soon; many requests before it runs cost one pass. Any thread. */
    public void requestPass() {
        loop.execute(() -> {
            if (!passQueued) {
                passQueued = true;
                loop.execute(this::pass);
            }
        });
    }

    /** One placement pass over the ready queue. */
    void pass() {
        passQueued = false;
        if (book.ready().isEmpty()) {
            return;
        }
        List<AgentRecord> candidates = new ArrayList<>();
        for (AgentRecord agent : fleet.online()) {
            if (agent.freeSlots() > 0) {
                candidates.add(agent);
            }
        }
        for (JobRecord r : new ArrayList<>(book.ready())) {
            if (candidates.isEmpty()) {
                // Nothing has room: reasons are recomputed only when the fleet changed since, so a
                // long queue behind a busy fleet costs nothing per freed slot.
                explain(r);
                continue;
            }
            AgentRecord best = pick(r, candidates);
            if (best == null) {
                explain(r);
                continue;
            }
            lifecycle.assign(r, best);
            if (best.freeSlots() == 0) {
                candidates.remove(best);
            }
        }
    }

    private void explain(JobRecord r) {
        if (r.explainedAt == fleet.topologyVersion() && r.explainedAt >= 0) {
            return;
        }
        r.explainedAt = fleet.topologyVersion();
        lifecycle.setPendingReason(r, PlacementExplainer.explain(r.job.getRequirements(), fleet.all()));
    }

    private AgentRecord pick(JobRecord r, List<AgentRecord> candidates) {
        int slots = r.slots();
        AgentRecord best = null;
        double bestLoad = Double.MAX_VALUE;
        for (AgentRecord agent : candidates) {
            if (agent.freeSlots() < slots || !Placement.labelsMatch(agent, r.job.getRequirements())
                || lifecycle.avoids(r, agent)) {
                continue;
            }
            double load = (double) agent.usedSlots() / agent.slots();
            if (load < bestLoad) {
                best = agent;
                bestLoad = load;
            }
        }
        return best;
    }
}
