package dev.baton.server.logs;

import java.time.Instant;

import dev.baton.server.time.TimeSource;

/**
 * One agent's log rate limit: a token bucket of bytes refilled at a steady rate on injected time, so
 * a burst passes and a flood is cut to the rate. Owned by the control loop.
 */
final class AgentLogBudget {

    private final TimeSource time;
    private final long bytesPerSecond;
    private final long burst;
    private double tokens;
    private Instant refilledAt;

    AgentLogBudget(TimeSource time, long bytesPerSecond, long burst) {
        this.time = time;
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = time.now();
    }

    /** Takes {@code bytes} if the bucket holds them; false (nothing taken) otherwise. */
    boolean tryTake(long bytes) {
        refill();
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }

    private void refill() {
        Instant now = time.now();
        long nanos = java.time.Duration.between(refilledAt, now).toNanos();
        if (nanos > 0) {
            tokens = Math.min(burst, tokens + bytesPerSecond * (nanos / 1e9));
            refilledAt = now;
        }
    }
}
