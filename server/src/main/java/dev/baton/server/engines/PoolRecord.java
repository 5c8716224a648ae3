package dev.baton.server.engines;

import java.time.Duration;
import java.time.Instant;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.server.time.TimeSource;

/** A pool's stored definition and its live control state. Owned by the control loop. */
final class PoolRecord {

    /** Where the pool's image stands; engines are created only once it is {@link #READY}. */
    enum ImageState { UNKNOWN, READY, ERROR }

    private Pool pool;
    private String configHash;
    final CreationCircuitBreaker breaker;

    ImageState image = ImageState.UNKNOWN;
    /** A check or pull is running; the previous state (e.g. an error) stays visible meanwhile. */
    boolean imageChecking;
    String imageError = "";
    int imageFailures;
    TimeSource.Timer imageRetry;
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
            image = ImageState.UNKNOWN;
            imageError = "";
            imageFailures = 0;
            if (imageRetry != null) {
                imageRetry.cancel();
                imageRetry = null;
            }
        }
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
