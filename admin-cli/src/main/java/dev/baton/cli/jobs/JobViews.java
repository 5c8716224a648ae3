package dev.baton.cli.jobs;

import java.time.Instant;
import java.util.List;

import dev.baton.cli.output.Column;
import dev.baton.cli.output.Details;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.StructText;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobAttempt;
import dev.baton.proto.v1.StreamMetadata;

/** How jobs look in tables, in {@code jobs get} and in {@code --wait} progress lines. */
final class JobViews {

    static List<Column<Job>> columns(Instant now) {
        return List.of(
                Column.of("ID", Job::getId),
                Column.of("STATUS", j -> Names.of(j.getStatus())),
                Column.of("AGENT", Job::getAgentId),
                Column.of("ATTEMPT", j -> String.valueOf(j.getAttempt())),
                Column.of("TEMPLATE", Job::getTemplateId),
                Column.of("AGE", j -> Times.age(j.getCreatedAt(), now)),
                Column.of("REASON", JobViews::reason),
                Column.wide("PRIORITY", j -> String.valueOf(j.getPriority())),
                Column.wide("POOL", j -> j.getRequirements().getPool()),
                Column.wide("RESTART", j -> Names.of(j.getRestartPolicy())),
                Column.wide("MUTED", j -> muted(j.getMetadata())),
                Column.wide("LABELS", j -> Names.labels(j.getLabelsMap())));
    }

    static void describe(Job job, Details details, Instant now) {
        details.add("ID", job.getId())
               .always("Status", Names.of(job.getStatus()))
               .add("Reason", job.getStatusReason())
               .add("Failure", job.getFailureReason())
               .add("Template", job.getTemplateId().isEmpty() ? ""
                                : job.getTemplateId() + " (version " + job.getTemplateVersion() + ')')
               .add("Agent", job.getAgentId())
               .add("Endpoints", Names.endpoints(job.getEndpointsList()))
               .always("Attempt", job.getAttempt() + (job.getMaxAttempts() > 0 ? " of " + job.getMaxAttempts() : ""))
               .add("Restart policy", Names.of(job.getRestartPolicy()))
               .always("Priority", String.valueOf(job.getPriority()))
               .add("Requirements", Names.requirements(job.getRequirements()))
               .add("Idempotency key", job.getIdempotencyKey())
               .add("Labels", Names.labels(job.getLabelsMap()))
               .add("Config", job.hasConfig() ? StructText.of(job.getConfig()) : "")
               .add("Metadata", MetadataView.summary(job.getMetadata()))
               .add("Progress", job.getProgressMap().isEmpty() ? "" : job.getProgressMap().toString())
               .add("Exit code", job.hasExitCode() ? String.valueOf(job.getExitCode()) : "")
               .add("Stop requested", job.getStopRequested() ? "yes" : "")
               .add("Wait timeout", Times.duration(job.getWaitTimeout()))
               .add("Not before", Times.instantWithAge(job.getNotBefore(), now))
               .add("Created", Times.instantWithAge(job.getCreatedAt(), now))
               .add("Assigned", Times.instantWithAge(job.getAssignedAt(), now))
               .add("Started", Times.instantWithAge(job.getStartedAt(), now))
               .add("Ended", Times.instantWithAge(job.getEndedAt(), now))
               .section("Attempts", attemptColumns(now), job.getAttemptsList());
    }

    /** One progress line for {@code --wait}: {@code job j-1: RUNNING on agent-1 (attempt 1)}. */
    static String transition(Job job) {
        StringBuilder line = new StringBuilder("job ").append(job.getId()).append(": ")
                                                      .append(Names.of(job.getStatus()));
        if (!job.getAgentId().isEmpty()) {
            line.append(" on ").append(job.getAgentId());
        }
        if (job.getAttempt() > 0) {
            line.append(" (attempt ").append(job.getAttempt()).append(')');
        }
        String reason = reason(job);
        if (!reason.isEmpty()) {
            line.append(": ").append(reason);
        }
        return line.toString();
    }

    static String reason(Job job) {
        return job.getFailureReason().isEmpty() ? job.getStatusReason() : job.getFailureReason();
    }

    static boolean isTerminal(Job.Status status) {
        return status == Job.Status.STOPPED || status == Job.Status.FAILED || status == Job.Status.CANCELED;
    }

    private static List<Column<JobAttempt>> attemptColumns(Instant now) {
        return List.of(
                Column.of("#", a -> String.valueOf(a.getAttempt())),
                Column.of("AGENT", JobAttempt::getAgentId),
                Column.of("STATUS", a -> Names.of(a.getStatus())),
                Column.of("ASSIGNED", a -> Times.age(a.getAssignedAt(), now)),
                Column.of("STARTED", a -> Times.age(a.getStartedAt(), now)),
                Column.of("ENDED", a -> Times.age(a.getEndedAt(), now)),
                Column.of("EXIT", a -> a.hasExitCode() ? String.valueOf(a.getExitCode()) : ""),
                Column.of("REASON", JobAttempt::getReason));
    }

    private static String muted(StreamMetadata metadata) {
        return metadata.hasIsMuted() ? (metadata.getIsMuted() ? "yes" : "no") : "";
    }

    private JobViews() {}
}
