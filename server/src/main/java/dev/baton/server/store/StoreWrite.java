package dev.baton.server.store;

import java.time.Instant;

import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.Template;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;

/** One change to the desired/stored state. Writes are applied in the order they are handed over. */
public sealed interface StoreWrite {

    /** Inserts or replaces a job; {@code sequence} orders jobs by creation. */
    record PutJob(Job job, long sequence) implements StoreWrite {}

    /** Inserts or replaces a template. */
    record PutTemplate(Template template) implements StoreWrite {}

    /** Deletes a template. */
    record DeleteTemplate(String id) implements StoreWrite {}

    /** Inserts or replaces a pool. */
    record PutPool(Pool pool) implements StoreWrite {}

    /** Deletes a pool. */
    record DeletePool(String name) implements StoreWrite {}

    /** Inserts or replaces a Docker host. */
    record PutDockerHost(DockerHost host) implements StoreWrite {}

    /** Deletes a Docker host. */
    record DeleteDockerHost(String name) implements StoreWrite {}

    /** Remembers an idempotency key until {@code expiresAt}. */
    record PutIdempotencyKey(IdempotencyRecord record) implements StoreWrite {}

    /** Forgets every idempotency key that expired before {@code now}. */
    record ExpireIdempotencyKeys(Instant now) implements StoreWrite {}

    /** Inserts or replaces a webhook subscription; {@code webhook} carries no secret, {@code secret} does. */
    record PutWebhook(Webhook webhook, String secret) implements StoreWrite {}

    /** Deletes a webhook subscription and every delivery of it. */
    record DeleteWebhook(String id) implements StoreWrite {}

    /** Inserts or replaces a delivery; {@code sequence} orders deliveries, {@code body} is what is POSTed. */
    record PutWebhookDelivery(WebhookDelivery delivery, long sequence, byte[] body) implements StoreWrite {}

    /** Deletes a delivery (trimmed from the history). */
    record DeleteWebhookDelivery(String id) implements StoreWrite {}
    /** Adds a flushed batch of an attempt's log lines, seqs {@code firstSeq..lastSeq} (StoredLogLines bytes). */
    record PutLogLines(String jobId, int attempt, long firstSeq, long lastSeq, byte[] lines, Instant writtenAt)
            implements StoreWrite {}

    /** Forgets an attempt's log batches that end before {@code keepFromSeq} (evicted from its tail). */
    record TrimLogLines(String jobId, int attempt, long keepFromSeq) implements StoreWrite {}

    /** Forgets every log batch written before {@code cutoff} (LOG_RETENTION_S). */
    record ExpireLogLines(Instant cutoff) implements StoreWrite {}
}
