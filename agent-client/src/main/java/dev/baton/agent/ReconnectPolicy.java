package dev.baton.agent;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the agent retries its connection: exponential backoff with jitter, as in gRPC's connection
 * backoff. The n-th retry (from 0) waits {@code min(initialDelay * multiplier^n, maxDelay)},
 * spread uniformly by {@code ±jitter} of itself so a fleet that lost its server does not come back
 * in one wave. A session that got its Welcome starts the sequence again.
 *
 * <p>{@link #standard()} is gRPC's: 1 s, ×1.6, ±20 %, capped at 120 s, retrying forever.
 */
public final class ReconnectPolicy {

    private static final ReconnectPolicy STANDARD =
            new ReconnectPolicy(Duration.ofSeconds(1), 1.6, 0.2, Duration.ofSeconds(120), 0);

    private final Duration initialDelay;
    private final double multiplier;
    private final double jitter;
    private final Duration maxDelay;
    private final int maxAttempts;

    private ReconnectPolicy(Duration initialDelay, double multiplier, double jitter,
                            Duration maxDelay, int maxAttempts) {
        this.initialDelay = initialDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.maxDelay = maxDelay;
        this.maxAttempts = maxAttempts;
    }

    /** gRPC's standard: 1 s, ×1.6, ±20 %, capped at 120 s, forever. */
    public static ReconnectPolicy standard() {
        return STANDARD;
    }

    /**
     * A custom policy.
     *
     * @param initialDelay the first retry's delay (&gt; 0)
     * @param multiplier growth per retry (&ge; 1)
     * @param jitter the spread, a fraction of the delay in [0, 1)
     * @param maxDelay the cap on the delay before jitter (&ge; initialDelay)
     * @param maxAttempts consecutive failed attempts after which the agent gives up; 0 = never
     */
    public static ReconnectPolicy of(Duration initialDelay, double multiplier, double jitter,
                                     Duration maxDelay, int maxAttempts) {
        requireNonNull(initialDelay, "initialDelay");
        requireNonNull(maxDelay, "maxDelay");
        check(!initialDelay.isNegative() && !initialDelay.isZero(),
              "initialDelay: %s (expected: > 0)", initialDelay);
        check(multiplier >= 1, "multiplier: %s (expected: >= 1)", multiplier);
        check(jitter >= 0 && jitter < 1, "jitter: %s (expected: >= 0 and < 1)", jitter);
        check(maxDelay.compareTo(initialDelay) >= 0,
              "maxDelay: %s (expected: >= initialDelay %s)", maxDelay, initialDelay);
        check(maxAttempts >= 0, "maxAttempts: %s (expected: >= 0, 0 = forever)", maxAttempts);
        return new ReconnectPolicy(initialDelay, multiplier, jitter, maxDelay, maxAttempts);
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }

    /** The first retry's delay. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** Growth per retry. */
    public double multiplier() {
        return multiplier;
    }

    /** The spread, as a fraction of the delay. */
    public double jitter() {
        return jitter;
    }

    /** The cap on the delay before jitter. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** Consecutive failed attempts after which the agent gives up; 0 = never. */
    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public String toString() {
        return "ReconnectPolicy{initialDelay=" + initialDelay + ", multiplier=" + multiplier
               + ", jitter=" + jitter + ", maxDelay=" + maxDelay + ", maxAttempts=" + maxAttempts + '}';
    }
}
