package dev.baton.agent.internal;

import static dev.baton.agent.internal.AgentCore.log;

import dev.baton.agent.AgentTimer;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.Drain;
import dev.baton.proto.v1.Goodbye;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How the agent stops taking jobs and leaves, on the event loop: the server's Drain (reversible),
 * a local drain (SIGTERM, {@code drain()}), {@code close()}; then Goodbye once no job is left to
 * report, and the release of every thread the agent started.
 */
final class Departure {

    /** How long a departing agent waits for the server to close the stream after its Goodbye. */
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(2);

    private final AgentCore core;
    private final AgentSettings settings;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final List<AgentTimer.Cancellable> timers = new ArrayList<>();
    private volatile Thread releaser;
    private volatile Exception failure;

    private boolean serverDrain;
    private boolean localDrain;
    private boolean closing;
    private boolean saidGoodbye;
    private boolean terminating;

    Departure(AgentCore core) {
        this.core = core;
        this.settings = core.settings;
    }

    CompletableFuture<Void> terminated() {
        return terminated;
    }

    boolean terminating() {
        return terminating;
    }

    /** True while new assignments are refused. */
    boolean draining() {
        return serverDrain || localDrain || closing;
    }

    /** True when the agent ends once its jobs are done. */
    private boolean leaving() {
        return localDrain || closing || (serverDrain && settings.exitWhenDrained());
    }

    /** A session ended: false when the agent terminates instead of reconnecting. */
    boolean reconnectAfterSessionEnd() {
        if (saidGoodbye || terminating || closing || (leaving() && core.jobs.isEmpty())) {
            terminate(); // leaving, and nothing left that a new session would have to report
            return false;
        }
        return true;
    }

    void onDrain(Drain drain) {
        if (!drain.getDrain()) {
            if (localDrain || closing) {
                log.info("undrain ignored, the agent is leaving agent={}", settings.agentId());
                return;
            }
            serverDrain = false;
            cancelTimers();
            log.info("back in service agent={}", settings.agentId());
            return;
        }
        serverDrain = true;
        log.info("draining on server request agent={} jobs={} deadline={}", settings.agentId(),
                 core.jobs.liveCount(), drain.hasDeadline() ? drain.getDeadline() : "none");
        if (drain.hasDeadline()) {
            Instant deadline = Instant.ofEpochSecond(drain.getDeadline().getSeconds(),
                                                     drain.getDeadline().getNanos());
            Duration left = Duration.between(Instant.now(), deadline);
            timers.add(core.after(left.isNegative() ? Duration.ZERO : left,
                                  () -> stopAll("drain deadline passed")));
        }
        maybeFinish();
    }

    void beginLocalDrain(Duration timeout) {
        if (localDrain || closing || terminating) {
            return;
        }
        localDrain = true;
        log.info("draining agent={} jobs={} timeout={}", settings.agentId(), core.jobs.liveCount(), timeout);
        timers.add(core.after(timeout, () -> stopAll("drain timeout passed")));
        // Leaving is bounded even if a job survives its kill or the server never comes back.
        Duration bound = timeout.plus(core.connection.stopGrace()).plus(settings.closeTimeout());
        timers.add(core.after(bound, this::terminate));
        maybeFinish();
    }

    void beginClose() {
        if (closing || terminating) {
            return;
        }
        closing = true;
        log.info("closing agent={} jobs={}", settings.agentId(), core.jobs.liveCount());
        for (JobRun run : core.jobs.live()) {
            core.commands.requestKill(run, "agent closing", "");
        }
        // Jobs that ignore the kill do not hold the agent: releasing the pool interrupts them.
        timers.add(core.after(settings.closeTimeout(), this::terminate));
        if (core.connection.welcomed() == null) {
            terminate();
            return;
        }
        maybeFinish();
    }

    /** Stops every running job with the server's grace, then kills the ones still running. */
    private void stopAll(String reason) {
        List<JobRun> live = core.jobs.live();
        if (live.isEmpty()) {
            return;
        }
        Duration grace = core.connection.stopGrace();
        log.info("stopping all jobs agent={} jobs={} grace={} reason={}", settings.agentId(),
                 live.size(), grace, reason);
        live.forEach(run -> core.commands.requestStop(run, grace, reason, ""));
        timers.add(core.after(grace, () -> core.jobs.live().forEach(
                run -> core.commands.requestKill(run, reason + ", grace over", ""))));
    }

    private void cancelTimers() {
        timers.forEach(AgentTimer.Cancellable::cancel);
        timers.clear();
    }

    /** Says Goodbye and leaves once the agent is leaving and no job is left to report. */
    void maybeFinish() {
        if (!leaving() || saidGoodbye || terminating || !core.jobs.isEmpty()) {
            return;
        }
        Session current = core.connection.welcomed();
        if (current == null) {
            // No job is left to report: a Goodbye alone is not worth waiting for a connection.
            terminate();
            return;
        }
        saidGoodbye = true;
        String reason = closing ? "agent closed" : localDrain ? "agent drained" : "drained by the server";
        current.send(AgentMessage.newBuilder().setGoodbye(Goodbye.newBuilder().setReason(reason)).build());
        current.finishSending();
        log.info("goodbye sent agent={} reason={}", settings.agentId(), reason);
        // The server ends the stream on Goodbye; do not wait for it longer than a moment.
        timers.add(core.after(GOODBYE_WAIT, this::terminate));
    }

    /** Terminates because the agent cannot go on (its reconnect attempts are used up). */
    void giveUp(String why) {
        failure = new IllegalStateException(why);
        terminate();
    }

    void terminate() {
        if (terminating) {
            return;
        }
        terminating = true;
        cancelTimers();
        Session last = core.connection.shutdown(saidGoodbye ? "agent left" : "agent terminated");
        // Releasing threads waits for them; never from the loop, which is one of them.
        Thread thread = new Thread(() -> release(last), "baton-agent-release");
        thread.setDaemon(false);
        releaser = thread;
        thread.start();
    }

    private void release(Session last) {
        try {
            if (last != null) {
                last.channel().awaitTermination(5, TimeUnit.SECONDS);
            }
            core.jobPool.shutdownNow(); // interrupts job threads that outlived the close timeout
            core.jobPool.awaitTermination(5, TimeUnit.SECONDS);
            core.channels.close();
            core.shutdownLoop();
            log.info("agent stopped agent={}", settings.agentId());
            if (failure != null) {
                terminated.completeExceptionally(failure);
            } else {
                terminated.complete(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminated.complete(null);
        } catch (RuntimeException e) {
            terminated.completeExceptionally(e);
        }
    }

    void awaitReleased(Duration timeout) throws InterruptedException {
        Thread thread = releaser;
        if (thread != null && thread != Thread.currentThread()) {
            thread.join(timeout.toMillis());
        }
    }
}
