package dev.baton.server.engines;

import java.time.Duration;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.Resources;
import dev.baton.server.config.BatonConfig;

/**
 * Fills what a pool spec leaves unset, so the stored spec says exactly what runs: 2 CPUs, 2 GiB,
 * 100 pids, 1 slot, MAX_REPLICAS engines at most, ENGINE_GRACE_PERIOD_S of grace, 60 s to start.
 * An explicit grace of 0 stays 0 (empty surplus engines go at once).
 */
final class PoolDefaults {

    static final double CPUS = 2.0;
    static final long MEMORY_BYTES = 2L * 1024 * 1024 * 1024;
    static final long PIDS = 100;
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final BatonConfig config;

    PoolDefaults(BatonConfig config) {
        this.config = config;
    }

    PoolSpec apply(PoolSpec spec) {
        PoolSpec.Builder b = spec.toBuilder();
        Resources r = spec.getResources();
        b.setResources(Resources.newBuilder()
                                .setCpus(r.getCpus() == 0 ? CPUS : r.getCpus())
                                .setMemoryBytes(r.getMemoryBytes() == 0 ? MEMORY_BYTES : r.getMemoryBytes())
                                .setPids(r.getPids() == 0 ? PIDS : r.getPids()));
        if (spec.getMaxEngines() == 0) {
            b.setMaxEngines(Math.max(config.maxReplicas(), spec.getMinFree()));
        }
        if (!spec.hasGracePeriod()) {
            b.setGracePeriod(Durations.fromMillis(config.engineGracePeriod().toMillis()));
        }
        if (!spec.hasStartupTimeout() || Durations.toMillis(spec.getStartupTimeout()) == 0) {
            b.setStartupTimeout(Durations.fromMillis(STARTUP_TIMEOUT.toMillis()));
        }
        if (spec.getSlots() == 0) {
            b.setSlots(1);
        }
        return b.build();
    }
}
