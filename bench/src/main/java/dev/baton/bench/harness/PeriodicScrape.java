package dev.baton.bench.harness;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Reads the server's {@code /metrics} once a second on a thread of its own until stopped.
 *
 * <p>A warm-up runs one too ({@link #duringWarmUp}): the server's JIT must have seen these reads
 * before a measured part begins. Begun only with the first measured step, they sent the server's
 * compiled HTTP/2 paths back to the compiler: 235 C2 compilations, 4.4 s of compiler time, in that
 * step's first seconds (docs/benchmarks.md, session 15).
 */
public final class PeriodicScrape implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final int port;
    private final Consumer<String> onText;
    private final Thread reader;
    private volatile boolean stopped;

    private PeriodicScrape(int port, Consumer<String> onText, String threadName) {
        this.port = port;
        this.onText = onText;
        this.reader = new Thread(this::readUntilStopped, threadName);
        reader.setDaemon(true);
    }

    /** Starts reading the server on {@code port} (127.0.0.1), handing each text that came back to {@code onText}. */
    public static PeriodicScrape start(int port, String threadName, Consumer<String> onText) {
        PeriodicScrape scrape = new PeriodicScrape(port, onText, threadName);
        scrape.reader.start();
        return scrape;
    }

    /** Reads during a warm-up only for the server's sake: what comes back is dropped. */
    public static PeriodicScrape duringWarmUp(int port) {
        return start(port, "warm-up-scrape", text -> {});
    }

    /** Stops reading; returns once the last read ended. */
    @Override
    public void close() {
        stopped = true;
        reader.interrupt();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readUntilStopped() {
        while (!stopped) {
            String text = ServerMetrics.scrape(port);
            if (text != null) {
                onText.accept(text);
            }
            LockSupport.parkNanos(INTERVAL.toNanos());
        }
    }
}
