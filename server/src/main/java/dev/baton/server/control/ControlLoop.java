package dev.baton.server.control;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.server.time.TimeSource;

/**
 * The single thread that owns all mutable control state (agents, jobs, engines, pools).
 * gRPC handlers, timers and Docker results hand it commands; it applies them in order. One owner
 * means no locks and no lock-ordering bugs, and a deterministic order of events.
 */
public final class ControlLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

    private final ThreadPoolExecutor executor;
    private final TimeSource time;
    private volatile Thread thread;

    public ControlLoop(TimeSource time) {
        this(time, "baton-control");
    }

    /** A loop on its own thread named {@code threadName}, for a subsystem that owns its state the same way. */
    public ControlLoop(TimeSource time, String threadName) {
        this.time = time;
        // A plain pool of one (not newSingleThreadExecutor's wrapper) so that its queue can be measured.
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                                               runnable -> loopThread(runnable, threadName));
    }

    private Thread loopThread(Runnable runnable, String name) {
        Thread t = new Thread(runnable, name);
        t.setDaemon(true);
        thread = t;
        return t;
    }

    /** Runs {@code command} on the loop; a failing command is logged and never stops the loop. */
    public void execute(Runnable command) {
        try {
            executor.execute(() -> {
                try {
                    command.run();
                } catch (Throwable t) {
                    log.error("event=command-failed", t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("event=command-dropped reason=loop-closed");
        }
    }

    /** Runs {@code command} on the loop and completes with its result or its exception. */
    public <T> CompletableFuture<T> call(Supplier<T> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(command.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Like {@link #call} for commands whose answer arrives later (e.g. an agent's ack). */
    public <T> CompletableFuture<T> callAsync(Supplier<CompletableFuture<T>> command) {
        return call(command).thenCompose(f -> f);
    }

    /** Schedules {@code command} to run on the loop after {@code delay}. */
    public TimeSource.Timer schedule(Duration delay, Runnable command) {
        return time.schedule(delay, () -> execute(command));
    }

    /** Commands handed over and not yet started: how far behind the loop is (a metric). */
    public int queued() {
        return executor.getQueue().size();
    }

    /** True on the loop's own thread; used to assert ownership. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Waits until every command queued before this call has run (tests and shutdown). */
    public void sync() {
        call(() -> null).join();
    }

    public TimeSource time() {
        return time;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
