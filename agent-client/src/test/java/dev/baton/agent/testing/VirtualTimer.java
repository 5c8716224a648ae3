package dev.baton.agent.testing;

import dev.baton.agent.AgentTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AgentTimer} in virtual time: nothing fires until the test calls {@link #advance}.
 * Every schedule call is also recorded, so a test can see which delay the agent asked for.
 */
public final class VirtualTimer implements AgentTimer {

    private final List<Task> pending = new ArrayList<>();
    private final BlockingQueue<Duration> requested = new LinkedBlockingQueue<>();
    private long nowNanos;
    private long sequence;

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        Task task = new Task(nowNanos + delay.toNanos(), sequence++, action);
        pending.add(task);
        requested.add(delay);
        return () -> {
            synchronized (this) {
                pending.remove(task);
            }
        };
    }

    /** The next delay the agent asks for that is not {@code ignored}, waiting for it in real time. */
    public Duration nextRequested(Duration realTimeout, Duration ignored) throws InterruptedException {
        long deadline = System.nanoTime() + realTimeout.toNanos();
        while (true) {
            Duration delay = requested.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (delay == null) {
                throw new AssertionError("the agent scheduled nothing within " + realTimeout);
            }
            if (!delay.equals(ignored)) {
                return delay;
            }
        }
    }

    /** Moves virtual time forward, running (in order) every task that falls due. */
    public void advance(Duration by) {
        long target;
        synchronized (this) {
            target = nowNanos + by.toNanos();
        }
        while (true) {
            Task due;
            synchronized (this) {
                due = pending.stream().filter(task -> task.atNanos <= target)
                             .min(Comparator.comparingLong(Task::atNanos).thenComparingLong(Task::sequence))
                             .orElse(null);
                if (due == null) {
                    nowNanos = target;
                    return;
                }
                pending.remove(due);
                nowNanos = due.atNanos;
            }
            due.action.run();
        }
    }

    private record Task(long atNanos, long sequence, Runnable action) {}
}
