package dev.baton.bench.watch;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each generated event was caused: event {@code n} is a progress report whose gauge
 * {@value #GAUGE} is {@code n}, sent by a simulated agent at {@link #sentAt}. A watcher that receives
 * the job with that gauge measures event → watcher from the moment the agent sent the update, an
 * upper bound of the server's own publish → deliver time by one loopback hop.
 */
public final class EventClock {

    /** Progress gauge that carries the event number. */
    public static final String GAUGE = "bench_event";

    private final AtomicLongArray sent;
    private final int[] jobIndex;

    public EventClock(int capacity) {
        sent = new AtomicLongArray(capacity);
        jobIndex = new int[capacity];
    }

    public int capacity() {
        return jobIndex.length;
    }

    /** Event {@code n} was sent at {@code nanos}, about job number {@code job}. */
    public void sent(int n, int job, long nanos) {
        jobIndex[n] = job;
        sent.set(n, nanos == 0 ? 1 : nanos);
    }

    public long sentAt(int n) {
        return n >= 0 && n < jobIndex.length ? sent.get(n) : 0;
    }

    /** The job number event {@code n} was about (valid once {@link #sentAt} is non-zero). */
    public int jobOf(int n) {
        return jobIndex[n];
    }
}
