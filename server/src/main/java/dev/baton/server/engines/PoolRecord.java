package dev.baton.server.engines;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;

/** A pool's stored definition and its live control state. Owned by the control loop. */
final class PoolRecord {

    private Pool pool;
    private String configHash;
    final CreationCircuitBreaker breaker;

    /** The image's state per Docker host (by host name). */
    final Map<String, HostImage> images = new HashMap<>();
    Instant surplusSince;
    String waiting = "";
    /** Why no engine can be created now because a port range is full; empty otherwise. */
    String portProblem = "";

    PoolRecord(Pool pool, CreationCircuitBreaker breaker) {
        this.breaker = breaker;
        define(pool);
    }

    /** Takes a new stored definition; a new image is checked again. */
    void define(Pool next) {
        boolean imageChanged = pool == null || !pool.getSpec().getImage().equals(next.getSpec().getImage());
        this.pool = next;
        this.configHash = ConfigHash.of(next.getSpec());
        if (imageChanged) {
            images.values().forEach(HostImage::cancelRetry);
            images.clear();
        }
    }

    HostImage image(String host) {
        return images.computeIfAbsent(host, h -> new HostImage());
    }

    boolean imageReadyOn(String host) {
        HostImage image = images.get(host);
        return image != null && image.state == HostImage.State.READY;
    }

    /** The image error of some host when no host has the image; null otherwise. */
    String imageError() {
        String error = null;
        for (Map.Entry<String, HostImage> e : new java.util.TreeMap<>(images).entrySet()) {
            if (e.getValue().state == HostImage.State.READY) {
                return null;
            }
            if (error == null && e.getValue().state == HostImage.State.ERROR) {
                error = e.getValue().error;
            }
        }
        return error;
    }

    String name() { return pool.getName(); }
    Pool stored() { return pool; }
    PoolSpec spec() { return pool.getSpec(); }
    String configHash() { return configHash; }

    Duration grace() { return duration(spec().getGracePeriod()); }
    Duration idleTtl() { return duration(spec().getIdleTtl()); }
    Duration maxAge() { return duration(spec().getMaxAge()); }
    Duration startupTimeout() { return duration(spec().getStartupTimeout()); }
    Duration replaceUnhealthyAfter() { return duration(spec().getReplaceUnhealthyAfter()); }

    private static Duration duration(com.google.protobuf.Duration d) {
        return Duration.ofMillis(Durations.toMillis(d));
    }
}
