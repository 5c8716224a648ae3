package dev.baton.bench.harness;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The stop-the-world GC pauses of both processes over a measured window: the server's from its
 * {@code /metrics} ({@code jvm_gc_pause_seconds}, every kind of collection summed), the load
 * generator's from its own GC beans. A latency tail on this machine is often one or the other
 * (docs/benchmarks.md, session 10); a result that says how much of its window was paused says which.
 */
public final class GcPauses {

    /** Pauses so far: how many, and how long in all. */
    public record Totals(long count, double seconds) {
        Totals minus(Totals earlier) {
            return new Totals(count - earlier.count, seconds - earlier.seconds);
        }
    }

    /** What both processes had paused when the window opened. */
    public record Mark(int port, Totals server, Totals generator, long startNanos) {
        /** Closes the window; the server's side is null when its /metrics has no GC meter (an older build). */
        public Window end() {
            Totals serverNow = serverTotals(port);
            return new Window(serverNow == null || server == null ? null : serverNow.minus(server),
                              generatorTotals().minus(generator), (System.nanoTime() - startNanos) / 1e9);
        }
    }

    /** The pauses inside one window. */
    public record Window(Totals server, Totals generator, double seconds) {
        /** Percent of the window the server was paused; NaN when unknown. */
        public double serverPercent() {
            return server == null ? Double.NaN : 100 * server.seconds / seconds;
        }

        public double generatorPercent() {
            return 100 * generator.seconds / seconds;
        }

        @Override
        public String toString() {
            String serverText = server == null ? "server GC unknown (no jvm_gc_pause_seconds on /metrics)"
                    : String.format("server GC %d pauses, %.0f ms (%.2f %%)", server.count, server.seconds * 1000,
                                    serverPercent());
            return String.format("%s; load generator GC %d pauses, %.0f ms (%.2f %%) in %.1f s", serverText,
                                 generator.count, generator.seconds * 1000, generatorPercent(), seconds);
        }
    }

    private GcPauses() {}

    /** Opens a window on the server listening on {@code port} (127.0.0.1). */
    public static Mark mark(int port) {
        return new Mark(port, serverTotals(port), generatorTotals(), System.nanoTime());
    }

    /** The server's pause totals, or null when it does not publish them. */
    static Totals serverTotals(int port) {
        String text = ServerMetrics.scrape(port);
        return text == null ? null : parse(text);
    }

    /** Sums {@code jvm_gc_pause_seconds_count} and {@code _sum} over their label sets; null when absent. */
    static Totals parse(String prometheusText) {
        long count = 0;
        double seconds = 0;
        boolean found = false;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("jvm_gc_pause_seconds_count{")) {
                count += (long) ServerMetrics.lastNumber(line);
                found = true;
            } else if (line.startsWith("jvm_gc_pause_seconds_sum{")) {
                seconds += ServerMetrics.lastNumber(line);
            }
        }
        return found ? new Totals(count, seconds) : null;
    }

    /** This JVM's collections; with G1 (the default) a collection's time is its pause. */
    static Totals generatorTotals() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new Totals(count, millis / 1000.0);
    }
}
