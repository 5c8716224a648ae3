package dev.baton.server.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The only source of time and timers in the server, so that tests run heartbeats, grace periods
 * and backoffs in virtual time ({@link VirtualTimeSource}) instead of sleeping.
 */
public interface TimeSource {

    /** The current time. */
    Instant now();

    /**
     * The current time in milliseconds since the epoch: {@link #now()} without allocating, for hot
     * paths that only compare and store times (every agent heartbeat reads it).
     */
    default long millis() {
        return now().toEpochMilli();
    }

    /**
     * Runs {@code task} once after {@code delay}. The task runs on a timer thread and must only hand
     * work to its owner (e.g. the control loop), never do the work itself.
     */
    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Timer {
        /** Cancels the task if it has not run yet; harmless otherwise. */
        void cancel();
    }
}
