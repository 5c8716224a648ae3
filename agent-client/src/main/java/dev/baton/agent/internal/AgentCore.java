package dev.baton.agent.internal;

import dev.baton.agent.AgentTimer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's event loop and its three parts: the {@link Connection} to the server, the
 * {@link JobTable}, and the {@link Departure} (drain, Goodbye, termination). Their state is touched
 * only on the loop thread; gRPC callbacks, timers and job threads {@link #post} work to it.
 * Handlers run on the job pool, so the loop never waits for author code.
 */
public final class AgentCore {

    static final Logger log = LoggerFactory.getLogger("dev.baton.agent");

    final AgentSettings settings;
    private final ScheduledExecutorService loop;
    final ExecutorService jobPool;
    final ChannelFactory channels;
    private final AgentTimer timer;
    final Connection connection;
    final JobTable jobs;
    final JobCommands commands;
    final Departure departure;

    public AgentCore(AgentSettings settings) {
        this.settings = settings;
        ScheduledThreadPoolExecutor loop =
                new ScheduledThreadPoolExecutor(1, NamedThreads.factory("baton-agent-loop", false));
        // Timers (heartbeats, deadlines) are moot once the agent stops: drop them, do not wait them out.
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        loop.setRemoveOnCancelPolicy(true);
        this.loop = loop;
        this.jobPool = Executors.newCachedThreadPool(NamedThreads.factory("baton-agent-job", true));
        this.channels = new ChannelFactory(settings, loop, jobPool);
        this.timer = settings.timer() != null ? settings.timer() : this::scheduleOnLoop;
        this.connection = new Connection(this);
        this.jobs = new JobTable(this);
        this.commands = new JobCommands(this, settings.handler(), jobPool);
        this.departure = new Departure(this);
    }

    // ---- Public surface (any thread) ----

    public void start() {
        post(connection::connect);
    }

    public CompletableFuture<Void> drain(Duration timeout) {
        post(() -> departure.beginLocalDrain(timeout));
        return departure.terminated();
    }

    public CompletableFuture<Void> close() {
        post(departure::beginClose);
        return departure.terminated();
    }

    public CompletableFuture<Void> terminated() {
        return departure.terminated();
    }

    /** After termination: waits until the thread that released the others has ended too. */
    public void awaitReleased(Duration timeout) throws InterruptedException {
        departure.awaitReleased(timeout);
    }

    public boolean connected() {
        return connection.connected();
    }

    public String sessionId() {
        return connection.sessionId();
    }

    // ---- Loop plumbing ----

    /** Runs {@code task} on the event loop; false (task dropped) once the agent has terminated. */
    boolean post(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("agent event loop task failed agent={}", settings.agentId(), e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false; // terminated: late reports from job threads have nowhere to go
        }
    }

    /** Schedules through the (injectable) timer; the task itself always runs on the loop. */
    AgentTimer.Cancellable after(Duration delay, Runnable task) {
        return timer.schedule(delay, () -> post(task));
    }

    private AgentTimer.Cancellable scheduleOnLoop(Duration delay, Runnable task) {
        try {
            var future = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    String agentId() {
        return settings.agentId();
    }

    /** Stops the loop itself; the last step of releasing the agent's threads. */
    void shutdownLoop() throws InterruptedException {
        loop.shutdown();
        loop.awaitTermination(5, TimeUnit.SECONDS);
    }
}
