package dev.baton.server.engines;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.error.BatonException;
import dev.baton.server.store.StoreWrite;

/** Applies one pool of POOLS_FILE at start-up: created if new, updated if its spec differs. */
final class PoolsFileApplier {

    private static final Logger log = LoggerFactory.getLogger(PoolsFileApplier.class);

    private PoolsFileApplier() {}

    /** Returns true when the pool was created or changed. A bad pool stops start-up, naming it. */
    static boolean apply(ControlPlane plane, EngineRegistry registry, PoolOperations pools, Pool declared) {
        PoolSpec spec;
        try {
            PoolValidator.name("pool.name", declared.getName());
            PoolRecord existing = registry.pool(declared.getName());
            spec = pools.prepare(existing == null ? declared.getSpec()
                                                  : SecretEnv.keepStoredSecrets(declared.getSpec(), existing.spec()));
        } catch (BatonException e) {
            throw new IllegalArgumentException("POOLS_FILE: pool \"" + declared.getName() + "\": " + e.getMessage());
        }
        PoolRecord existing = registry.pool(declared.getName());
        if (existing != null && existing.spec().equals(spec)) {
            return false;
        }
        long now = plane.loop().time().now().toEpochMilli();
        Pool stored = (existing == null ? Pool.newBuilder().setName(declared.getName())
                                               .setCreatedAt(Timestamps.fromMillis(now))
                                        : existing.stored().toBuilder())
                .setSpec(spec).setUpdatedAt(Timestamps.fromMillis(now)).build();
        plane.store().write(List.of(new StoreWrite.PutPool(stored)));
        if (existing == null) {
            pools.add(stored);
        } else {
            existing.define(stored);
        }
        log.info("event=pool-from-file pool={} action={} config_hash={}", declared.getName(),
                 existing == null ? "created" : "updated", registry.pool(declared.getName()).configHash());
        return true;
    }
}
