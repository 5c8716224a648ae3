package dev.baton.server.engines;

import java.util.Map;

import dev.baton.proto.v1.PoolSpec;

/**
 * Secret env values never leave the server: API answers show {@link #REDACTED} instead, and an update
 * that sends {@link #REDACTED} back (a GET, edit, PUT round trip) keeps the stored value.
 */
final class SecretEnv {

    static final String REDACTED = "<redacted>";

    private SecretEnv() {}

    static PoolSpec redact(PoolSpec spec) {
        if (spec.getSecretEnvCount() == 0) {
            return spec;
        }
        PoolSpec.Builder b = spec.toBuilder();
        for (String name : spec.getSecretEnvList()) {
            if (spec.containsEnv(name)) {
                b.putEnv(name, REDACTED);
            }
        }
        return b.build();
    }

    /** {@code incoming} with each redacted secret replaced by the value in {@code stored}. */
    static PoolSpec keepStoredSecrets(PoolSpec incoming, PoolSpec stored) {
        PoolSpec.Builder b = incoming.toBuilder();
        for (Map.Entry<String, String> e : incoming.getEnvMap().entrySet()) {
            if (REDACTED.equals(e.getValue()) && stored.containsEnv(e.getKey())) {
                b.putEnv(e.getKey(), stored.getEnvOrThrow(e.getKey()));
            }
        }
        return b.build();
    }
}
