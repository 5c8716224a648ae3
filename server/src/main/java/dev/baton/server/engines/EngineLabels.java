package dev.baton.server.engines;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Docker labels on every engine container. {@link #MANAGED_BY} carries this server's instance id:
 * a container without it (or with another instance's id) is never stopped, removed or adopted.
 */
final class EngineLabels {

    static final String MANAGED_BY = "baton.managed-by";
    static final String POOL = "baton.pool";
    static final String ENGINE_ID = "baton.engine-id";
    static final String CONFIG_HASH = "baton.config-hash";
    static final String CREATED_AT = "baton.created-at";
    /** The name of the Docker host Baton placed it on (the host it is found on decides when adopting). */
    static final String HOST = "baton.host";
    /** Pool labels are copied under this prefix so that `docker ps --filter` can find them. */
    static final String LABEL_PREFIX = "baton.label.";

    private EngineLabels() {}

    static Map<String, String> of(String instanceId, PoolRecord pool, EngineRecord engine) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, instanceId);
        labels.put(POOL, engine.pool());
        labels.put(ENGINE_ID, engine.id());
        labels.put(CONFIG_HASH, engine.configHash());
        labels.put(CREATED_AT, engine.createdAt().toString());
        labels.put(HOST, engine.host());
        pool.spec().getLabelsMap().forEach((k, v) -> labels.put(LABEL_PREFIX + k, v));
        engine.ports.forEach((name, port) -> labels.put(EnginePorts.LABEL_PREFIX + name, Integer.toString(port)));
        return labels;
    }

    /** True when the container is this instance's engine (and so may be adopted or removed). */
    static boolean ownedBy(Map<String, String> labels, String instanceId) {
        return instanceId.equals(labels.get(MANAGED_BY)) && labels.containsKey(ENGINE_ID) && labels.containsKey(POOL);
    }

    static Instant createdAt(Map<String, String> labels, Instant fallback) {
        try {
            return Instant.parse(labels.getOrDefault(CREATED_AT, ""));
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
