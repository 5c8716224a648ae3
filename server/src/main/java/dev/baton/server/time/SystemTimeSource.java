package dev.baton.server.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Wall-clock time with one daemon timer thread. */
public final class SystemTimeSource implements TimeSource, AutoCloseable {

    private final ScheduledExecutorService timers;

    public SystemTimeSource() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "baton-timers");
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled timers (every acknowledged assignment cancels one) must not pile up in the queue.
        executor.setRemoveOnCancelPolicy(true);
        timers = Executors.unconfigurableScheduledExecutorService(executor);
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = timers.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
