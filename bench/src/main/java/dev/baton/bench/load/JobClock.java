package dev.baton.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongArray;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import dev.baton.bench.harness.Samples;

/**
 * When each benchmark job passed each point, by the job's sequence number (carried in its config
 * as {@value #SEQ_FIELD}, so the agent and the watcher can tell which job it is before the submit
 * has even been answered). All times are {@link System#nanoTime()} of this JVM; 0 means "not yet".
 */
public final class JobClock {

    /** Config field with the job's sequence number in this run. */
    public static final String SEQ_FIELD = "bench_seq";
    /** Config field that tells a simulated agent to keep the job running until told to stop. */
    public static final String HOLD_FIELD = "bench_hold";

    private final int capacity;
    private final AtomicLongArray submitted;
    private final AtomicLongArray acked;
    private final AtomicLongArray runningSent;
    private final AtomicLongArray runningSeen;
    private final Object signal = new Object();
    private volatile int waiters;

    public JobClock(int capacity) {
        this.capacity = capacity;
        submitted = new AtomicLongArray(capacity);
        acked = new AtomicLongArray(capacity);
        runningSent = new AtomicLongArray(capacity);
        runningSeen = new AtomicLongArray(capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** The job's config: a harmless command plus its sequence number (and the hold flag). */
    public static Struct config(long seq, boolean hold) {
        Struct.Builder config = Struct.newBuilder()
                .putFields("command", Value.newBuilder().setListValue(com.google.protobuf.ListValue.newBuilder()
                        .addValues(str("sleep")).addValues(str("0"))).build())
                .putFields(SEQ_FIELD, str(Long.toString(seq)));
        if (hold) {
            config.putFields(HOLD_FIELD, Value.newBuilder().setBoolValue(true).build());
        }
        return config.build();
    }

    /** The sequence number in a job's config, or -1 for a job this benchmark did not submit. */
    public static long seqOf(Struct config) {
        Value v = config.getFieldsMap().get(SEQ_FIELD);
        if (v == null || v.getKindCase() != Value.KindCase.STRING_VALUE) {
            return -1;
        }
        try {
            return Long.parseLong(v.getStringValue());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static boolean holds(Struct config) {
        Value v = config.getFieldsMap().get(HOLD_FIELD);
        return v != null && v.getBoolValue();
    }

    public void submitted(long seq, long nanos) {
        set(submitted, seq, nanos);
    }

    public void acked(long seq, long nanos) {
        set(acked, seq, nanos);
    }

    /** The simulated agent sent RUNNING (first time only: a resumed job keeps its first time). */
    public void runningSent(long seq, long nanos) {
        setOnce(runningSent, seq, nanos);
        wakeWaiters();
    }

    /** A watcher saw the server publish RUNNING (first time only). */
    public void runningSeen(long seq, long nanos) {
        setOnce(runningSeen, seq, nanos);
        wakeWaiters();
    }

    /**
     * Waits until job {@code seq}'s RUNNING was sent by its agent and, when {@code seen} is set, also
     * seen by a watcher; false at the timeout.
     */
    public boolean awaitRunning(long seq, boolean seen, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (signal) {
            waiters++;
            try {
                while (runningSentAt(seq) == 0 || (seen && runningSeenAt(seq) == 0)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    signal.wait(left / 1_000_000, (int) (left % 1_000_000));
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waiters--;
            }
        }
    }

    private void wakeWaiters() {
        if (waiters > 0) {
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    public long runningSentAt(long seq) {
        return inRange(seq) ? runningSent.get((int) seq) : 0;
    }

    public long runningSeenAt(long seq) {
        return inRange(seq) ? runningSeen.get((int) seq) : 0;
    }

    public long ackedAt(long seq) {
        return inRange(seq) ? acked.get((int) seq) : 0;
    }

    public long submittedAt(long seq) {
        return inRange(seq) ? submitted.get((int) seq) : 0;
    }

    /** Jobs in [from, to) whose RUNNING the agents sent. */
    public int countRunningSent(int from, int to) {
        return count(runningSent, from, to);
    }

    public int countRunningSeen(int from, int to) {
        return count(runningSeen, from, to);
    }

    /** Jobs in [from, to) whose RUNNING was sent within the window [startNanos, endNanos). */
    public int countRunningSentBetween(int from, int to, long startNanos, long endNanos) {
        int n = 0;
        for (int i = from; i < to; i++) {
            long t = runningSent.get(i);
            if (t != 0 && t - startNanos >= 0 && t - endNanos < 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Writes one CSV line per job in [from, to): its sequence number, when it was submitted (wall
     * clock, microseconds since the epoch, to line it up with a server's logs), and how long after
     * the submit the ack, the agent's RUNNING and the watcher's RUNNING came (microseconds, -1 for
     * never). For finding out when the slow jobs of a run were slow.
     */
    public void writeTimeline(Path file, int from, int to) throws IOException {
        long epochNanosAtZero = Instant.now().toEpochMilli() * 1_000_000 - System.nanoTime();
        StringBuilder csv = new StringBuilder("seq,submitted_epoch_us,ack_us,running_sent_us,running_seen_us\n");
        for (int i = from; i < to; i++) {
            long s = submitted.get(i);
            if (s == 0) {
                continue;
            }
            csv.append(i).append(',').append((epochNanosAtZero + s) / 1000).append(',').append(micros(s, acked.get(i)))
               .append(',').append(micros(s, runningSent.get(i))).append(',').append(micros(s, runningSeen.get(i)))
               .append('\n');
        }
        Files.writeString(file, csv);
    }

    private static long micros(long start, long end) {
        return end == 0 ? -1 : Math.max(0, end - start) / 1000;
    }

    /** submit → ack latencies of jobs in [from, to). */
    public Samples ackLatency(int from, int to) {
        return between(submitted, acked, from, to);
    }

    /** submit → RUNNING sent by the agent. */
    public Samples runningSentLatency(int from, int to) {
        return between(submitted, runningSent, from, to);
    }

    /** submit → RUNNING published by the server and received by a watcher. */
    public Samples runningSeenLatency(int from, int to) {
        return between(submitted, runningSeen, from, to);
    }

    private static Samples between(AtomicLongArray start, AtomicLongArray end, int from, int to) {
        Samples samples = new Samples();
        for (int i = from; i < to; i++) {
            long s = start.get(i);
            long e = end.get(i);
            if (s != 0 && e != 0) {
                samples.add(Math.max(0, e - s));
            }
        }
        return samples;
    }

    private static int count(AtomicLongArray array, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (array.get(i) != 0) {
                n++;
            }
        }
        return n;
    }

    private boolean inRange(long seq) {
        return seq >= 0 && seq < capacity;
    }

    private void set(AtomicLongArray array, long seq, long nanos) {
        if (inRange(seq)) {
            array.set((int) seq, nanos == 0 ? 1 : nanos);
        }
    }

    private void setOnce(AtomicLongArray array, long seq, long nanos) {
        if (inRange(seq)) {
            array.compareAndSet((int) seq, 0, nanos == 0 ? 1 : nanos);
        }
    }

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
