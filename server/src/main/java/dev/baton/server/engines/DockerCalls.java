package dev.baton.server.engines;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.baton.server.control.ControlLoop;

/**
 * Runs blocking Docker calls on a small bounded pool of their own and hands each result back to the
 * control loop, where all engine state lives. A full queue is a failure like any other, not a block.
 */
final class DockerCalls implements AutoCloseable {

    private final ControlLoop loop;
    private final DockerRuntime runtime;
    private final ThreadPoolExecutor executor;
    private volatile boolean closed;

    DockerCalls(ControlLoop loop, DockerRuntime runtime, int threads) {
        this.loop = loop;
        this.runtime = runtime;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
                                               r -> {
                                                   Thread t = new Thread(r, "baton-docker-" + n.incrementAndGet());
                                                   t.setDaemon(true);
                                                   return t;
                                               });
        executor.allowCoreThreadTimeOut(true);
    }

    DockerRuntime runtime() {
        return runtime;
    }

    /**
     * Runs {@code call} off the loop; {@code onLoop} then gets (result, null) or (null, failure) on the loop.
     */
    <T> void run(Function<DockerRuntime, T> call, BiConsumer<T, DockerFailure> onLoop) {
        if (closed) {
            // Shutting down: no new Docker work (containers are left as they are for the next start).
            return;
        }
        try {
            executor.execute(() -> {
                T result = null;
                DockerFailure failure = null;
                try {
                    result = call.apply(runtime);
                } catch (RuntimeException e) {
                    failure = DockerFailure.of(e);
                }
                T r = result;
                DockerFailure f = failure;
                loop.execute(() -> onLoop.accept(r, f));
            });
        } catch (RejectedExecutionException e) {
            loop.execute(() -> onLoop.accept(null, new DockerFailure(DockerFailure.Kind.UNREACHABLE,
                                                                     "too many Docker calls waiting")));
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        runtime.close();
    }
}
