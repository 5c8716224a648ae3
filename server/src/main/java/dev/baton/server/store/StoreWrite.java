package dev.baton.server.store;

import java.time.Instant;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.Template;

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

    /** Remembers an idempotency key until {@code expiresAt}. */
    record PutIdempotencyKey(IdempotencyRecord record) implements StoreWrite {}

    /** Forgets every idempotency key that expired before {@code now}. */
    record ExpireIdempotencyKeys(Instant now) implements StoreWrite {}

    /** Adds a flushed batch of an attempt's log lines, seqs {@code firstSeq..lastSeq} (StoredLogLines bytes). */
    record PutLogLines(String jobId, int attempt, long firstSeq, long lastSeq, byte[] lines, Instant writtenAt)
            implements StoreWrite {}

    /** Forgets an attempt's log batches that end before {@code keepFromSeq} (evicted from its tail). */
    record TrimLogLines(String jobId, int attempt, long keepFromSeq) implements StoreWrite {}

    /** Forgets every log batch written before {@code cutoff} (LOG_RETENTION_S). */
    record ExpireLogLines(Instant cutoff) implements StoreWrite {}
}
