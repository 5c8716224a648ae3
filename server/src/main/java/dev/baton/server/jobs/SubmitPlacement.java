package dev.baton.server.jobs;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.server.fleet.AgentRecord;
import dev.baton.server.fleet.Fleet;

/**
 * Places a job while it is being submitted, when an agent is free and nothing waits before it: the
 * job's first stored snapshot is then already ASSIGNED, in the submit's own commit. Placed through
 * the queue, the job costs a second commit (the ASSIGNED snapshot must be stored before the Assign
 * goes out) and four more hand-overs between the control loop and the store's writer: a third
 * more time from submit to RUNNING on an idle server (docs/benchmarks.md, session 12).
 *
 * <p>Until that commit completes, the job is not in the book but its agent's slots are taken: the
 * reservation is listed here, so that paths which walk an agent's jobs leave it alone. Runs on the
 * control loop.
 */
final class SubmitPlacement {

    private final Fleet fleet;
    private final JobBook book;
    /** Jobs placed at submit whose commit has not completed. */
    private final Set<String> reserved = new HashSet<>();
    /** Reserved jobs whose agent said Hello again meanwhile: what it can take may have changed. */
    private final Set<String> revoked = new HashSet<>();
    /** Submits on their way into the queue (commit not completed): a later submit must not overtake them. */
    private int queuing;

    SubmitPlacement(Fleet fleet, JobBook book) {
        this.fleet = fleet;
        this.book = book;
    }

    /**
     * The first snapshot to store for {@code pending}: ASSIGNED (attempt 1) to the least-loaded free
     * agent that fits, its slots now taken; or {@code pending} itself when the job must queue (jobs
     * wait before it, or no agent is free). Either way the caller then reports the commit's outcome
     * with {@link #stored} or {@link #notStored}.
     */
    Job place(Job pending, Instant now) {
        AgentRecord agent = queuing > 0 || !book.ready().isEmpty() ? null : pick(pending);
        if (agent == null) {
            queuing++;
            return pending;
        }
        reserved.add(pending.getId());
        agent.addJob(pending.getId(), Placement.slotsOf(pending.getRequirements()));
        return JobLifecycle.assignedTo(pending, agent, 1, now);
    }

    private AgentRecord pick(Job pending) {
        JobRequirements requirements = pending.getRequirements();
        return fleet.freeAgents().first(Placement.slotsOf(requirements),
                                         agent -> Placement.labelsMatch(agent, requirements));
    }

    /**
     * The commit of {@code first} (a snapshot {@link #place} returned) completed: the book now has
     * the job. False when it was placed and its reservation was {@link #revoke revoked} meanwhile.
     */
    boolean stored(Job first) {
        if (!reserved.remove(first.getId())) {
            queuing--;
            return true;
        }
        return !revoked.remove(first.getId());
    }

    /**
     * The agent of reserved job {@code jobId} said Hello again: once stored, the job goes back to
     * the queue, as an assignment not yet sent does when its agent reconnects.
     */
    void revoke(String jobId) {
        revoked.add(jobId);
    }

    /** The commit of {@code first} failed: there is no job, and its agent's slots are free again. */
    void notStored(Job first) {
        if (!reserved.remove(first.getId())) {
            queuing--;
            return;
        }
        revoked.remove(first.getId());
        AgentRecord agent = fleet.get(first.getAgentId());
        if (agent != null) {
            agent.removeJob(first.getId(), Placement.slotsOf(first.getRequirements()));
            fleet.publish(agent);
        }
    }

    /** True for a job placed at submit whose commit has not completed (it is not in the book yet). */
    boolean isReserved(String jobId) {
        return reserved.contains(jobId);
    }
}
