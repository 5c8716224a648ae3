package dev.baton.cli.watch;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import dev.baton.cli.output.Names;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.WatchEvent;

/**
 * One watch event as one line for people: revision, time, type, kind, id, then a summary of the entity's state.
 * Fixed-width leading fields keep a live stream readable without knowing the widths in advance; the revision
 * comes first because it is what {@code --from-revision} resumes from.
 */
final class EventLine {

    static String of(WatchEvent event) {
        String time = Times.isSet(event.getTime())
                      ? DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(event.getTime().getSeconds())
                                                                    .truncatedTo(ChronoUnit.SECONDS))
                      : "-";
        String head = String.format("%-6d %-20s %-12s", event.getRevision(), time, Names.of(event.getType()));
        switch (event.getEntityCase()) {
            case AGENT:
                return head + String.format(" %-6s %-24s %s", "agent", event.getAgent().getId(), agent(event.getAgent()));
            case JOB:
                return head + String.format(" %-6s %-24s %s", "job", event.getJob().getId(), job(event.getJob()));
            case ENGINE:
                return head + String.format(" %-6s %-24s %s", "engine", event.getEngine().getId(), engine(event.getEngine()));
            case POOL:
                return head + String.format(" %-6s %-24s %s", "pool", event.getPool().getName(), pool(event.getPool()));
            default:
                return head.stripTrailing();
        }
    }

    private static String agent(Agent agent) {
        return Names.of(agent.getState()) + " free=" + agent.getFreeSlots() + '/' + agent.getSlots()
               + " jobs=" + agent.getJobIdsCount() + (agent.getDrain() ? " drain" : "");
    }

    private static String job(Job job) {
        StringBuilder text = new StringBuilder(Names.of(job.getStatus()));
        if (!job.getAgentId().isEmpty()) {
            text.append(" agent=").append(job.getAgentId());
        }
        if (job.getAttempt() > 0) {
            text.append(" attempt=").append(job.getAttempt());
        }
        String reason = job.getFailureReason().isEmpty() ? job.getStatusReason() : job.getFailureReason();
        if (!reason.isEmpty()) {
            text.append(" reason=\"").append(reason).append('"');
        }
        return text.toString();
    }

    private static String engine(Engine engine) {
        return Names.of(engine.getState()) + " pool=" + engine.getPool()
               + (engine.getAgentId().isEmpty() ? "" : " agent=" + engine.getAgentId())
               + " jobs=" + engine.getJobIdsCount();
    }

    private static String pool(Pool pool) {
        return Names.of(pool.getStatus().getHealth()) + " free=" + pool.getStatus().getFree()
               + " used=" + pool.getStatus().getUsed() + " starting=" + pool.getStatus().getStarting()
               + " total=" + pool.getStatus().getTotal() + " desired=" + pool.getStatus().getDesired();
    }

    private EventLine() {}
}
