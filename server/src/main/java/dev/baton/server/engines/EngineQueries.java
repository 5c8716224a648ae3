package dev.baton.server.engines;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.ListEnginesResponse;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.error.BatonException;

/**
 * ListEngines and GetEngine, verified against Docker at the time of the call: an engine whose
 * container is gone is left out (not reported as running), one whose container is not running is
 * shown as FAILED with Docker's status; each mismatch is counted and triggers a monitor pass. When
 * Docker does not answer, engines are shown as Baton last knew them, marked unverified.
 */
final class EngineQueries {

    private static final Logger log = LoggerFactory.getLogger(EngineQueries.class);

    private final ControlLoop loop;
    private final EngineRegistry registry;
    private final DockerHosts hosts;
    private final String instanceId;
    private final EngineMetrics metrics;
    private final Runnable monitorSoon;

    EngineQueries(ControlLoop loop, EngineRegistry registry, DockerHosts hosts, String instanceId,
                  EngineMetrics metrics, Runnable monitorSoon) {
        this.loop = loop;
        this.registry = registry;
        this.hosts = hosts;
        this.instanceId = instanceId;
        this.metrics = metrics;
        this.monitorSoon = monitorSoon;
    }

    /** Call on the loop. */
    CompletableFuture<ListEnginesResponse> list(String pool) {
        if (!pool.isEmpty() && registry.pool(pool) == null && registry.enginesOf(pool).isEmpty()) {
            throw BatonException.notFound("pool", pool);
        }
        List<Engine> snapshot = new ArrayList<>();
        for (EngineRecord e : registry.engines()) {
            if (pool.isEmpty() || e.pool().equals(pool)) {
                snapshot.add(registry.toProto(e));
            }
        }
        snapshot.sort(java.util.Comparator.comparing(Engine::getPool).thenComparing(Engine::getId));
        return verified(snapshot).thenApply(engines -> ListEnginesResponse.newBuilder().addAllEngines(engines).build());
    }

    /** Call on the loop. */
    CompletableFuture<Engine> get(String id) {
        EngineRecord engine = registry.engine(id);
        if (engine == null) {
            throw BatonException.notFound("engine", id);
        }
        return verified(List.of(registry.toProto(engine))).thenApply(engines -> {
            if (engines.isEmpty()) {
                throw BatonException.notFound("engine", id);
            }
            return engines.get(0);
        });
    }

    /** Each host's engines verified against that host's Docker; the answer keeps the snapshot's order. */
    private CompletableFuture<List<Engine>> verified(List<Engine> snapshot) {
        Map<String, List<Engine>> byHost = new java.util.TreeMap<>();
        snapshot.forEach(e -> byHost.computeIfAbsent(e.getHost(), h -> new ArrayList<>()).add(e));
        Map<String, CompletableFuture<List<Engine>>> answers = new java.util.TreeMap<>();
        byHost.forEach((name, engines) -> answers.put(name, verifiedOn(hosts.get(name), engines)));
        return CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<String, Engine> byId = new HashMap<>();
            answers.values().forEach(f -> f.join().forEach(e -> byId.put(e.getId(), e)));
            List<Engine> result = new ArrayList<>();
            snapshot.forEach(e -> {
                Engine checked = byId.get(e.getId());
                if (checked != null) {
                    result.add(checked);
                }
            });
            return result;
        });
    }

    private CompletableFuture<List<Engine>> verifiedOn(HostRecord host, List<Engine> snapshot) {
        CompletableFuture<List<Engine>> result = new CompletableFuture<>();
        if (host == null || host.calls == null) {
            result.complete(snapshot);
            return result;
        }
        host.calls.run(rt -> rt.listManaged(instanceId), (containers, failure) -> {
            if (failure != null) {
                List<Engine> unverified = new ArrayList<>();
                snapshot.forEach(e -> unverified.add(e.toBuilder().setDockerStatus("unverified").setReason(
                        e.getState() == Engine.State.LOST ? e.getReason()
                                                          : "Docker did not answer: " + failure.getMessage()).build()));
                result.complete(unverified);
                return;
            }
            result.complete(compare(snapshot, containers));
        });
        return result;
    }

    private List<Engine> compare(List<Engine> snapshot, List<ContainerInfo> containers) {
        Map<String, ContainerInfo> byId = new HashMap<>();
        containers.forEach(c -> byId.put(c.id(), c));
        List<Engine> result = new ArrayList<>();
        int mismatches = 0;
        for (Engine e : snapshot) {
            if (e.getContainerId().isEmpty()) {
                result.add(e);
                continue;
            }
            ContainerInfo c = byId.get(e.getContainerId());
            if (c == null) {
                mismatches++;
                metrics.mismatch("gone");
                log.info("event=engine-verification-mismatch engine={} container={} docker=gone action=omitted",
                         e.getId(), EngineLifecycle.shortId(e.getContainerId()));
                continue;
            }
            if (!c.running() && e.getState() != Engine.State.STOPPING) {
                mismatches++;
                metrics.mismatch("not-running");
                result.add(e.toBuilder().setState(Engine.State.FAILED).setDockerStatus(c.state())
                            .setReason("container is " + c.state() + " (" + c.status() + ")").build());
                continue;
            }
            result.add(e.toBuilder().setDockerStatus(c.state()).build());
        }
        if (mismatches > 0) {
            monitorSoon.run();
        }
        return result;
    }
}
