package dev.baton.server.engines;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.ListPoolsResponse;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.ScalePoolRequest;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.Validation;
import dev.baton.server.store.StoreWrite;

/**
 * The pool API on the control loop. A change is durable before it takes effect: the store write
 * completes, then the pool changes on the loop and the autoscaler acts.
 */
final class PoolOperations {

    private static final Logger log = LoggerFactory.getLogger(PoolOperations.class);

    private final ControlPlane plane;
    private final EngineRegistry registry;
    private final PoolDefaults defaults;
    private final PoolValidator validator;
    private final EngineSettings settings;
    private final Runnable changed;
    /** Names whose creation is being written, so that a second create cannot slip in meanwhile. */
    private final Set<String> creating = new HashSet<>();

    PoolOperations(ControlPlane plane, EngineRegistry registry, PoolDefaults defaults, PoolValidator validator,
                   EngineSettings settings, Runnable changed) {
        this.plane = plane;
        this.registry = registry;
        this.defaults = defaults;
        this.validator = validator;
        this.settings = settings;
        this.changed = changed;
    }

    Pool get(String name) {
        return registry.toProto(registry.requirePool(name));
    }

    ListPoolsResponse list() {
        ListPoolsResponse.Builder response = ListPoolsResponse.newBuilder();
        registry.pools().forEach(p -> response.addPools(registry.toProto(p)));
        return response.build();
    }

    CompletableFuture<Pool> create(Pool request) {
        String name = request.getName();
        if (name.isEmpty()) {
            throw BatonException.invalidArgument("pool.name: empty (expected: a name like \"encoders\")");
        }
        PoolValidator.name("pool.name", name);
        if (registry.pool(name) != null || creating.contains(name)) {
            throw BatonException.alreadyExists("pool \"%s\" already exists (expected: a new name, or PUT /v1/pools/%s "
                                               + "to change it)", name, name);
        }
        PoolSpec spec = prepare(request.getSpec());
        long now = plane.loop().time().now().toEpochMilli();
        Pool stored = Pool.newBuilder().setName(name).setSpec(spec).setCreatedAt(Timestamps.fromMillis(now))
                          .setUpdatedAt(Timestamps.fromMillis(now)).build();
        creating.add(name);
        return plane.store().write(List.of(new StoreWrite.PutPool(stored)))
                    .handleAsync((ignored, error) -> {
                        creating.remove(name);
                        if (error != null) {
                            throw new java.util.concurrent.CompletionException(error);
                        }
                        PoolRecord pool = add(stored);
                        log.info("event=pool-created pool={} image={} min_free={} max_engines={} config_hash={}", name,
                                 spec.getImage(), spec.getMinFree(), spec.getMaxEngines(), pool.configHash());
                        changed.run();
                        return registry.toProto(pool);
                    }, plane.loop()::execute);
    }

    CompletableFuture<Pool> update(String name, Pool request) {
        PoolRecord existing = registry.requirePool(name);
        if (!request.getName().isEmpty() && !request.getName().equals(name)) {
            throw BatonException.invalidArgument("pool.name: \"%s\" does not match the path name \"%s\"",
                                                 Validation.printable(request.getName()), name);
        }
        PoolSpec spec = prepare(SecretEnv.keepStoredSecrets(request.getSpec(), existing.spec()));
        return replace(existing, spec, "pool-updated");
    }

    CompletableFuture<Pool> scale(ScalePoolRequest request) {
        PoolRecord existing = registry.requirePool(request.getName());
        PoolSpec.Builder spec = existing.spec().toBuilder();
        if (request.hasMinFree()) {
            spec.setMinFree(request.getMinFree());
        }
        if (request.hasMaxEngines()) {
            spec.setMaxEngines(request.getMaxEngines());
        }
        if (request.hasMaxEngines() && request.getMaxEngines() == 0) {
            throw BatonException.invalidArgument("maxEngines: 0 (expected: 1 to 10000)");
        }
        PoolSpec next = spec.build();
        validator.spec(next);
        return replace(existing, next, "pool-scaled");
    }

    CompletableFuture<Void> delete(String name) {
        registry.requirePool(name);
        return plane.store().write(List.of(new StoreWrite.DeletePool(name)))
                    .thenApplyAsync(ignored -> {
                        int engines = registry.enginesOf(name).size();
                        registry.removePool(name);
                        log.info("event=pool-deleted pool={} engines_to_remove={}", name, engines);
                        changed.run();
                        return null;
                    }, plane.loop()::execute);
    }

    /** Restores a stored pool at start-up. */
    PoolRecord add(Pool stored) {
        PoolRecord pool = new PoolRecord(stored, new CreationCircuitBreaker(settings.breakerThreshold(),
                                                                            settings.breakerCoolDown()));
        registry.putPool(pool);
        return pool;
    }

    /** Defaults applied, then checked: what is stored is exactly what runs. */
    PoolSpec prepare(PoolSpec spec) {
        PoolSpec applied = defaults.apply(spec);
        validator.spec(applied);
        return applied;
    }

    private CompletableFuture<Pool> replace(PoolRecord existing, PoolSpec spec, String event) {
        String name = existing.name();
        Pool stored = existing.stored().toBuilder().setSpec(spec).clearStatus()
                              .setUpdatedAt(Timestamps.fromMillis(plane.loop().time().now().toEpochMilli())).build();
        return plane.store().write(List.of(new StoreWrite.PutPool(stored)))
                    .thenApplyAsync(ignored -> {
                        PoolRecord pool = registry.pool(name);
                        if (pool == null) {
                            throw BatonException.notFound("pool", name);
                        }
                        String before = pool.configHash();
                        pool.define(stored);
                        log.info("event={} pool={} min_free={} max_engines={} config_hash={} previous_hash={}", event,
                                 name, spec.getMinFree(), spec.getMaxEngines(), pool.configHash(), before);
                        registry.publish(pool);
                        changed.run();
                        return registry.toProto(pool);
                    }, plane.loop()::execute);
    }
}
