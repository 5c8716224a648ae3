package dev.baton.server.store;

import java.util.List;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.Template;

/** Everything the store holds, as loaded at start-up. Jobs are in creation order. */
public record StoredState(List<StoredJob> jobs, List<Template> templates, List<Pool> pools,
                          List<IdempotencyRecord> idempotencyKeys) {

    /** A job with its creation sequence number. */
    public record StoredJob(Job job, long sequence) {}
}
