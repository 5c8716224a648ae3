package dev.baton.bench.harness;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds with exact (nearest-rank) percentiles. Samples are kept, not
 * bucketed: a run records at most a few hundred thousand, and exact values make the tail honest.
 */
public final class Samples {

    private long[] values = new long[1024];
    private int size;
    private long[] sorted;

    /** Adds one sample; negative values (a missing timestamp) are a bug in the caller. */
    public synchronized void add(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos: " + nanos + " (expected: >= 0)");
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
        sorted = null;
    }

    /** Adds every sample of {@code other}. */
    public void addAll(Samples other) {
        long[] copy;
        int n;
        synchronized (other) {
            copy = other.values;
            n = other.size;
            copy = Arrays.copyOf(copy, n);
        }
        synchronized (this) {
            for (long v : copy) {
                if (size == values.length) {
                    values = Arrays.copyOf(values, size * 2);
                }
                values[size++] = v;
            }
            sorted = null;
        }
    }

    public synchronized int count() {
        return size;
    }

    /** The {@code p}-th percentile (0 < p <= 100) in milliseconds; NaN without samples. */
    public synchronized double percentileMillis(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("p: " + p + " (expected: 0 < p <= 100)");
        }
        if (size == 0) {
            return Double.NaN;
        }
        if (sorted == null) {
            sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    public double maxMillis() {
        return percentileMillis(100);
    }
}
