package dev.baton.server.jobs;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential backoff with ±20 % jitter: base, 2×base, 4×base, … capped at max. */
public final class RestartBackoff {

    private final Duration base;
    private final Duration max;
    private final RandomGenerator random;

    public RestartBackoff(Duration base, Duration max, RandomGenerator random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** The delay before restart number {@code restart} (1 for the first restart). */
    public Duration delay(int restart) {
        int exponent = Math.max(0, Math.min(restart - 1, 30));
        double raw = Math.min(max.toMillis(), base.toMillis() * Math.pow(2, exponent));
        double jitter = 0.8 + 0.4 * random.nextDouble();
        return Duration.ofMillis(Math.round(Math.min(max.toMillis(), raw * jitter)));
    }
}
