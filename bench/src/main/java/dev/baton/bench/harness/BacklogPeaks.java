package dev.baton.bench.harness;

/**
 * The most work the server held waiting during a window, read once a second from its backlog gauges:
 * {@code baton_control_queue} (commands for the control loop) and {@code baton_store_queue} (writes
 * for their commit). A step that fell behind then says where its work waited (docs/benchmarks.md,
 * session 14). One scrape a second is one call among the thousands a second that a step makes.
 */
public final class BacklogPeaks {

    /** The largest values seen; NaN when the server published no such gauge (an older build). */
    public record Peaks(double controlLoop, double store) {
        @Override
        public String toString() {
            return String.format("control loop queue peak %.0f commands, store queue peak %.0f writes", controlLoop,
                                 store);
        }
    }

    private PeriodicScrape scrape;
    private double controlLoop = Double.NaN;
    private double store = Double.NaN;

    /** Not sampling yet: {@link #start} starts it (tests feed {@link #record} directly). */
    BacklogPeaks() {}

    /** Starts sampling the server listening on {@code port} (127.0.0.1). */
    public static BacklogPeaks start(int port) {
        BacklogPeaks peaks = new BacklogPeaks();
        peaks.scrape = PeriodicScrape.start(port, "backlog-peaks", peaks::record);
        return peaks;
    }

    /** Stops sampling and gives the peaks seen. */
    public Peaks stop() {
        scrape.close();
        return peaks();
    }

    synchronized void record(String prometheusText) {
        controlLoop = larger(controlLoop, ServerMetrics.value(prometheusText, "baton_control_queue"));
        store = larger(store, ServerMetrics.value(prometheusText, "baton_store_queue"));
    }

    synchronized Peaks peaks() {
        return new Peaks(controlLoop, store);
    }

    private static double larger(double peak, double sample) {
        return Double.isNaN(peak) ? sample : Double.isNaN(sample) ? peak : Math.max(peak, sample);
    }
}
