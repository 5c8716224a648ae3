package dev.baton.server.engines;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.DockerHostStatus;
import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.error.BatonException;
import dev.baton.server.time.TimeSource;
import dev.baton.server.watch.WatchHub;

/**
 * Pools and engines, and their operator view. Owned by the control loop; publishes an engine or pool
 * event whenever what an operator sees of it changes.
 */
final class EngineRegistry {

    private final Map<String, PoolRecord> pools = new TreeMap<>();
    private final Map<String, EngineRecord> engines = new TreeMap<>();
    private final Map<String, Engine> lastEngine = new HashMap<>();
    private final Map<String, Pool> lastPool = new HashMap<>();
    /** Containers Baton removed: a listing taken before the removal finished must not adopt them. */
    private final Map<String, Boolean> removedContainers = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1024;
        }
    };
    private final WatchHub hub;
    private final TimeSource time;
    private final DockerHosts hosts;

    EngineRegistry(WatchHub hub, TimeSource time, DockerHosts hosts) {
        this.hub = hub;
        this.time = time;
        this.hosts = hosts;
    }

    DockerHosts hosts() { return hosts; }

    PoolRecord pool(String name) { return pools.get(name); }

    PoolRecord requirePool(String name) {
        PoolRecord pool = pools.get(name);
        if (pool == null) {
            throw BatonException.notFound("pool", name);
        }
        return pool;
    }

    Collection<PoolRecord> pools() { return pools.values(); }

    void putPool(PoolRecord pool) {
        pools.put(pool.name(), pool);
        publish(pool);
    }

    void removePool(String name) {
        PoolRecord removed = pools.remove(name);
        lastPool.remove(name);
        if (removed != null) {
            hub.poolChanged(WatchEvent.Type.REMOVED, toProto(removed));
        }
    }

    EngineRecord engine(String id) { return engines.get(id); }

    Collection<EngineRecord> engines() { return engines.values(); }

    List<EngineRecord> enginesOf(String pool) {
        List<EngineRecord> result = new ArrayList<>();
        for (EngineRecord e : engines.values()) {
            if (e.pool().equals(pool)) {
                result.add(e);
            }
        }
        return result;
    }

    void addEngine(EngineRecord engine) {
        engines.put(engine.id(), engine);
        changed(engine);
    }

    void rememberRemoved(String containerId) {
        if (containerId != null) {
            removedContainers.put(containerId, Boolean.TRUE);
        }
    }

    boolean wasRemoved(String containerId) {
        return removedContainers.containsKey(containerId);
    }

    void forgetEngine(EngineRecord engine) {
        engine.cancelTimers();
        if (engines.remove(engine.id()) != null) {
            lastEngine.remove(engine.id());
            hub.engineChanged(WatchEvent.Type.REMOVED, toProto(engine));
            PoolRecord pool = pools.get(engine.pool());
            if (pool != null) {
                publish(pool);
            }
        }
    }

    /** Publishes the engine (and its pool's counts) if what operators see changed. */
    void changed(EngineRecord engine) {
        Engine current = toProto(engine);
        Engine previous = lastEngine.put(engine.id(), current);
        if (!current.equals(previous)) {
            hub.engineChanged(previous == null ? WatchEvent.Type.ADDED : WatchEvent.Type.UPDATED, current);
        }
        PoolRecord pool = pools.get(engine.pool());
        if (pool != null) {
            publish(pool);
        }
    }

    /** Publishes the pool if its spec or status changed. */
    void publish(PoolRecord pool) {
        Pool current = toProto(pool);
        Pool previous = lastPool.put(pool.name(), current);
        if (!current.equals(previous)) {
            hub.poolChanged(previous == null ? WatchEvent.Type.ADDED : WatchEvent.Type.UPDATED, current);
        }
    }

    void publishAllPools() {
        pools.values().forEach(this::publish);
    }

    Engine toProto(EngineRecord e) {
        Engine.Builder b = Engine.newBuilder()
                                 .setId(e.id())
                                 .setPool(e.pool())
                                 .setContainerId(e.containerId == null ? "" : e.containerId)
                                 .setContainerName(e.containerName())
                                 .setState(e.state())
                                 .setAgentId(e.agentId)
                                 .addAllJobIds(e.jobIds)
                                 .setCreatedAt(ts(e.createdAt()))
                                 .setConfigHash(e.configHash())
                                 .setImage(e.image())
                                 .setDockerStatus(e.dockerStatus)
                                 .setReason(reason(e))
                                 .setHost(e.host())
                                 .addAllEndpoints(endpoints(e));
        if (e.lastUsedAt != null) {
            b.setLastUsedAt(ts(e.lastUsedAt));
        }
        return b.build();
    }

    /** The engine's endpoints, with the scheme its pool gives each port (http when unknown). */
    List<Endpoint> endpoints(EngineRecord e) {
        PoolRecord pool = pools.get(e.pool());
        List<Endpoint> result = new ArrayList<>(e.ports.size());
        e.ports.forEach((name, port) -> result.add(
                EnginePorts.endpoint(name, port, pool == null ? "" : EnginePorts.scheme(pool.spec(), name),
                                     e.portHealth.get(name))));
        return result;
    }

    /** Every host port held by an engine Baton knows (being created, running or being removed). */
    Set<Integer> reservedPorts() {
        Set<Integer> result = new HashSet<>();
        engines.values().forEach(e -> result.addAll(e.ports.values()));
        return result;
    }

    private static String reason(EngineRecord e) {
        if (e.unhealthySince != null) {
            return e.unhealthyReason;
        }
        if (!e.reason.isEmpty()) {
            return e.reason;
        }
        return e.outdatedReason == null ? "" : "to be replaced: " + e.outdatedReason;
    }

    /** The pool as the API shows it: secrets redacted, live counts. */
    Pool toProto(PoolRecord pool) {
        return pool.stored().toBuilder().setSpec(SecretEnv.redact(pool.spec())).setStatus(status(pool)).build();
    }

    PoolStatus status(PoolRecord pool) {
        int free = 0;
        int used = 0;
        int starting = 0;
        int total = 0;
        int withJobs = 0;
        for (EngineRecord e : engines.values()) {
            if (!e.pool().equals(pool.name())) {
                continue;
            }
            total++;
            if (e.hasJobs()) {
                withJobs++;
            }
            switch (e.state()) {
                case FREE -> free++;
                case USED -> used++;
                case STARTING -> starting++;
                default -> { }
            }
        }
        int desired = Math.min(pool.spec().getMaxEngines(), withJobs + pool.spec().getMinFree());
        PoolStatus.Builder status = PoolStatus.newBuilder().setFree(free).setUsed(used).setStarting(starting)
                                              .setTotal(total).setDesired(desired).setConfigHash(pool.configHash());
        Instant now = time.now();
        String problem = hosts.problem(pool.spec().getHostLabelsMap());
        if (problem != null) {
            return status.setHealth(PoolStatus.Health.DEGRADED).setMessage(problem).build();
        }
        String imageError = pool.imageError();
        if (imageError != null) {
            return status.setHealth(PoolStatus.Health.IMAGE_ERROR).setMessage(imageError).build();
        }
        if (!pool.portProblem.isEmpty()) {
            return status.setHealth(PoolStatus.Health.PORTS_EXHAUSTED).setMessage(pool.portProblem).build();
        }
        if (pool.breaker.open(now)) {
            return status.setHealth(PoolStatus.Health.CIRCUIT_OPEN).setMessage(
                    pool.breaker.consecutiveFailures() + " engine creation failures in a row (last: "
                    + pool.breaker.lastFailure() + "); creation paused until " + pool.breaker.openUntil()).build();
        }
        return status.setHealth(PoolStatus.Health.HEALTHY).setMessage(pool.waiting).build();
    }

    /** The host as the API shows it: its definition and what Baton last saw of it. */
    DockerHost toProto(HostRecord host) {
        DockerHostStatus.Builder status = DockerHostStatus.newBuilder()
                .setReachable(host.usable())
                .setEngineVersion(host.version)
                .setEngines(DockerHosts.enginesOn(host.name(), engines.values()))
                .setLastError(host.usable() || host.state.problem() == null ? "" : host.state.problem())
                .setLost(host.lost);
        if (host.state.since() != null) {
            status.setSince(ts(host.state.since()));
        }
        return host.stored().toBuilder().setStatus(status).build();
    }

    /** pool → state → count, for the gauges. */
    Map<String, Map<String, Integer>> counts() {
        Map<String, Map<String, Integer>> result = new TreeMap<>();
        pools.keySet().forEach(p -> result.put(p, new TreeMap<>()));
        for (EngineRecord e : engines.values()) {
            result.computeIfAbsent(e.pool(), p -> new TreeMap<>()).merge(e.state().name().toLowerCase(), 1, Integer::sum);
        }
        return result;
    }

    private static Timestamp ts(Instant instant) {
        return Timestamps.fromMillis(instant.toEpochMilli());
    }
}
