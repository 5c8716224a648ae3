package dev.baton.server.jobs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.store.IdempotencyRecord;

/**
 * Idempotency keys like Stripe's: the same key with the same request returns the job it created;
 * with another request it is a conflict. Keys expire after the retention. Owned by the control loop.
 */
public final class IdempotencyIndex {

    private final Map<String, IdempotencyRecord> byKey = new HashMap<>();

    /** The live record for {@code key}, or null (expired records count as absent). */
    public IdempotencyRecord find(String key, Instant now) {
        IdempotencyRecord record = byKey.get(key);
        if (record == null || record.expiresAt().isBefore(now)) {
            return null;
        }
        return record;
    }

    public void put(IdempotencyRecord record) {
        byKey.put(record.key(), record);
    }

    /** Forgets expired keys; returns how many. */
    public int expire(Instant now) {
        int removed = 0;
        for (Iterator<IdempotencyRecord> it = byKey.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAt().isBefore(now)) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    public int size() {
        return byKey.size();
    }

    /** SHA-256 of the request without its key, serialized deterministically (map order fixed). */
    public static String digest(SubmitJobRequest request) {
        try {
            SubmitJobRequest withoutKey = request.toBuilder().clearIdempotencyKey().build();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            withoutKey.writeTo(out);
            out.flush();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
