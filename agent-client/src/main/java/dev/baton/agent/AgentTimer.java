package dev.baton.agent;

import java.time.Duration;

/**
 * The agent's source of delays: reconnect backoff, heartbeats, the Welcome timeout and drain
 * deadlines are all scheduled through it. The default runs on the agent's own scheduler thread;
 * tests inject a virtual timer and advance it by hand, so backoff runs without waiting.
 *
 * <p>The agent never runs its own logic on the thread that fires a task: it hands the task to its
 * event loop, so an implementation may fire tasks from any thread.
 */
@FunctionalInterface
public interface AgentTimer {

    /** Runs {@code task} once, after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Calls the task off; no effect if it already ran. */
        void cancel();
    }
}
