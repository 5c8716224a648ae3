package dev.baton.agent;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.StreamMetadata;
import java.time.Instant;
import java.util.Optional;

/**
 * A job the server offers to this agent: one attempt of one job.
 *
 * @param jobId the job's id
 * @param attempt the attempt number (1 for the first); every ack and update carries it
 * @param config the job's resolved configuration
 * @param templateId the template the config came from, empty for an inline config
 * @param idempotencyKey the submitter's idempotency key, empty if none
 * @param ackDeadline the server offers the job elsewhere if no ack arrived by then, if set
 * @param metadata the job's stream metadata at assignment time
 */
public record Assignment(String jobId, int attempt, Struct config, String templateId,
                         String idempotencyKey, Optional<Instant> ackDeadline,
                         StreamMetadata metadata) {

    /** Validates the fields. */
    public Assignment {
        requireNonNull(jobId, "jobId");
        requireNonNull(config, "config");
        requireNonNull(templateId, "templateId");
        requireNonNull(idempotencyKey, "idempotencyKey");
        requireNonNull(ackDeadline, "ackDeadline");
        requireNonNull(metadata, "metadata");
    }

    /** The assignment carried by a server's {@code Assign} message. */
    public static Assignment of(Assign assign) {
        requireNonNull(assign, "assign");
        Optional<Instant> deadline = assign.hasAckDeadline()
                ? Optional.of(Instant.ofEpochSecond(assign.getAckDeadline().getSeconds(),
                                                    assign.getAckDeadline().getNanos()))
                : Optional.empty();
        return new Assignment(assign.getJobId(), assign.getAttempt(), assign.getConfig(),
                              assign.getTemplateId(), assign.getIdempotencyKey(), deadline,
                              assign.getMetadata());
    }
}
