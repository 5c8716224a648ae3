package dev.baton.server.engines;

import java.time.Duration;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.HealthProbe;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PortSpec;
import dev.baton.proto.v1.Resources;
import dev.baton.server.config.BatonConfig;

/**
 * Fills what a pool spec leaves unset, so the stored spec says exactly what runs: 2 CPUs, 2 GiB,
 * 100 pids, 1 slot, MAX_REPLICAS engines at most, ENGINE_GRACE_PERIOD_S of grace, 60 s to start.
 * An explicit grace of 0 stays 0 (empty surplus engines go at once). Ports get the http scheme;
 * probes every 10 s, 2 s timeout, 3 failures; unhealthy engines are replaced after 30 s.
 */
final class PoolDefaults {

    static final double CPUS = 2.0;
    static final long MEMORY_BYTES = 2L * 1024 * 1024 * 1024;
    static final long PIDS = 100;
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    static final Duration REPLACE_UNHEALTHY_AFTER = Duration.ofSeconds(30);
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final int PROBE_FAILURE_THRESHOLD = 3;

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
        if (!spec.hasReplaceUnhealthyAfter()) {
            b.setReplaceUnhealthyAfter(Durations.fromMillis(REPLACE_UNHEALTHY_AFTER.toMillis()));
        }
        for (int i = 0; i < spec.getPortsCount(); i++) {
            b.setPorts(i, port(spec.getPorts(i)));
        }
        return b.build();
    }

    /** The scheme (http) and, for a probe, interval, timeout and threshold; the range stays as given (0-0: ENGINE_PORT_RANGE). */
    private static PortSpec port(PortSpec port) {
        PortSpec.Builder b = port.toBuilder();
        if (port.getScheme().isEmpty()) {
            b.setScheme(EnginePorts.DEFAULT_SCHEME);
        }
        if (port.hasProbe()) {
            HealthProbe probe = port.getProbe();
            HealthProbe.Builder p = probe.toBuilder();
            if (Durations.toMillis(probe.getInterval()) == 0) {
                p.setInterval(Durations.fromMillis(PROBE_INTERVAL.toMillis()));
            }
            if (Durations.toMillis(probe.getTimeout()) == 0) {
                p.setTimeout(Durations.fromMillis(PROBE_TIMEOUT.toMillis()));
            }
            if (probe.getFailureThreshold() == 0) {
                p.setFailureThreshold(PROBE_FAILURE_THRESHOLD);
            }
            b.setProbe(p);
        }
        return b.build();
    }
}
