package dev.baton.server.engines;

import java.time.Duration;
import java.time.Instant;

/**
 * Stops a pool from creating engines after {@code threshold} failures in a row (create errors,
 * containers that die or never connect), for a cool-down; then lets one trial engine through
 * (half-open): its agent connecting closes the breaker, its failure opens it again.
 */
final class CreationCircuitBreaker {

    private final int threshold;
    private final Duration coolDown;
    private int consecutiveFailures;
    private Instant openUntil;
    private String lastFailure = "";

    CreationCircuitBreaker(int threshold, Duration coolDown) {
        this.threshold = threshold;
        this.coolDown = coolDown;
    }

    /** How many engines may be created now, given {@code burst} and the trial engines in flight. */
    int allowance(Instant now, int burst, int starting) {
        if (openUntil == null) {
            return burst;
        }
        return now.isBefore(openUntil) ? 0 : Math.max(0, 1 - starting);
    }

    void failure(Instant now, String why) {
        consecutiveFailures++;
        lastFailure = why;
        if (openUntil != null || consecutiveFailures >= threshold) {
            openUntil = now.plus(coolDown);
        }
    }

    void success() {
        consecutiveFailures = 0;
        openUntil = null;
    }

    boolean open(Instant now) {
        return openUntil != null && now.isBefore(openUntil);
    }

    Instant openUntil() {
        return openUntil;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    String lastFailure() {
        return lastFailure;
    }
}
