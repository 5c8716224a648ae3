package dev.baton.server.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Time that moves only when a test calls {@link #advance(Duration)}. Due tasks run on the calling
 * thread, in deadline order; a task that schedules another task inside the advanced window sees it
 * run in the same call.
 */
public final class VirtualTimeSource implements TimeSource {

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    public VirtualTimeSource(Instant start) {
        this.now = start;
    }

    public VirtualTimeSource() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        Entry entry = new Entry(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
        queue.add(entry);
        return () -> {
            synchronized (VirtualTimeSource.this) {
                queue.remove(entry);
            }
        };
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        while (true) {
            List<Runnable> due = new ArrayList<>();
            synchronized (this) {
                Entry next = queue.peek();
                if (next == null || next.deadline.isAfter(target)) {
                    now = target;
                    return;
                }
                now = next.deadline;
                while (!queue.isEmpty() && !queue.peek().deadline.isAfter(now)) {
                    due.add(queue.poll().task);
                }
            }
            due.forEach(Runnable::run);
        }
    }

    /** How many tasks wait to fall due. */
    public synchronized int pendingTimers() {
        return queue.size();
    }

    private record Entry(Instant deadline, long sequence, Runnable task) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byDeadline = deadline.compareTo(other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}
