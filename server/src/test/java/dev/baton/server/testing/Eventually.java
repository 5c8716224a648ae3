package dev.baton.server.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that becomes true on another thread (a message crossing the network),
 * checking it often and failing with a description after a generous deadline. Not a sleep: it
 * returns as soon as the condition holds.
 */
public final class Eventually {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private Eventually() {}

    public static void await(String what, BooleanSupplier condition) {
        await(what, DEADLINE, condition);
    }

    /** With a deadline of its own: for what takes a JVM start on a busy machine (a child server process). */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** Waits until {@code value} satisfies {@code condition} and returns it. */
    public static <T> T await(String what, Supplier<T> value, java.util.function.Predicate<T> condition) {
        Object[] last = new Object[1];
        try {
            await(what, () -> {
                T v = value.get();
                last[0] = v;
                return condition.test(v);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last value: " + last[0], e);
        }
        @SuppressWarnings("unchecked")
        T result = (T) last[0];
        return result;
    }
}
