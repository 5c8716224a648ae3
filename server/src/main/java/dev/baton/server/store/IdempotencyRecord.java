package dev.baton.server.store;

import java.time.Instant;

/** A submitted idempotency key: the job it created and a digest of the request that created it. */
public record IdempotencyRecord(String key, String jobId, String requestDigest, Instant expiresAt) {}
