package dev.baton.server.fleet;

import java.util.Collection;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Job;

/**
 * The one rule that derives an agent's state from its session, drain flag and jobs:
 * <ol>
 *   <li>no live session: OFFLINE;</li>
 *   <li>any RUNNING job: RUNNING (an agent with free slots left is still RUNNING; see free slots);</li>
 *   <li>else any ACCEPTED or STARTING job: STARTING;</li>
 *   <li>else any ASSIGNED job: RESERVED;</li>
 *   <li>else any STOPPING job: STOPPING;</li>
 *   <li>no jobs: DRAINING when drained, else IDLE.</li>
 * </ol>
 * A draining agent that still finishes jobs shows the jobs' state with {@code drain = true}.
 */
public final class AgentStateRule {

    private AgentStateRule() {}

    public static Agent.State stateOf(boolean online, boolean drain, Collection<Job.Status> jobStatuses) {
        if (!online) {
            return Agent.State.OFFLINE;
        }
        boolean starting = false;
        boolean reserved = false;
        boolean stopping = false;
        for (Job.Status status : jobStatuses) {
            switch (status) {
                case RUNNING -> {
                    return Agent.State.RUNNING;
                }
                case ACCEPTED, STARTING, UNKNOWN -> starting = true;
                case ASSIGNED -> reserved = true;
                case STOPPING -> stopping = true;
                default -> { }
            }
        }
        if (starting) {
            return Agent.State.STARTING;
        }
        if (reserved) {
            return Agent.State.RESERVED;
        }
        if (stopping) {
            return Agent.State.STOPPING;
        }
        return drain ? Agent.State.DRAINING : Agent.State.IDLE;
    }
}
