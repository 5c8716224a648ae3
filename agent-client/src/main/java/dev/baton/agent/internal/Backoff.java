package dev.baton.agent.internal;

import static java.util.Objects.requireNonNull;

import dev.baton.agent.ReconnectPolicy;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The reconnect delays of one {@link ReconnectPolicy}: a sequence that grows until a session
 * succeeds ({@link #reset()}). Not thread-safe: the agent's event loop owns it.
 */
public final class Backoff {

    private final ReconnectPolicy policy;
    private final DoubleSupplier random;
    private int failures;
    private double baseNanos;

    /**
     * @param random uniform values in [0, 1), the source of jitter (injected so tests are exact)
     */
    public Backoff(ReconnectPolicy policy, DoubleSupplier random) {
        this.policy = requireNonNull(policy, "policy");
        this.random = requireNonNull(random, "random");
        reset();
    }

    /** A session succeeded: the next failure waits the initial delay again. */
    public void reset() {
        failures = 0;
        baseNanos = policy.initialDelay().toNanos();
    }

    /** True when the policy's attempts are used up (never, for the standard policy). */
    public boolean exhausted() {
        return policy.maxAttempts() > 0 && failures >= policy.maxAttempts();
    }

    /** Consecutive failures since the last {@link #reset()}. */
    public int failures() {
        return failures;
    }

    /** Records one more failed attempt and returns how long to wait before the next one. */
    public Duration nextDelay() {
        double base = baseNanos;
        failures++;
        baseNanos = Math.min(baseNanos * policy.multiplier(), policy.maxDelay().toNanos());
        // Uniform in [-jitter, +jitter) of the base, as gRPC's connection backoff does.
        double spread = policy.jitter() * (2 * random.getAsDouble() - 1);
        return Duration.ofNanos(Math.round(base * (1 + spread)));
    }
}
