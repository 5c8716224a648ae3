package dev.baton.agent.internal;

import dev.baton.agent.AgentTimer;
import dev.baton.agent.Assignment;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AgentMetrics;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.AssignAck;
import dev.baton.proto.v1.Capabilities;
import dev.baton.proto.v1.CommandAck;
import dev.baton.proto.v1.Drain;
import dev.baton.proto.v1.Goodbye;
import dev.baton.proto.v1.Heartbeat;
import dev.baton.proto.v1.Hello;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobUpdate;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Welcome;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The agent's event loop and everything it owns: the current session, the job table, drain and
 * termination. All fields below the constructor are touched only on the loop thread; gRPC
 * callbacks, timers and job threads {@link #post} work to it. Handlers run on the job pool, so
 * nothing here ever waits for author code.
 */
public final class AgentCore {

    private static final Logger log = LoggerFactory.getLogger("dev.baton.agent");
    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(3);
    /** How long a departing agent waits for the server to close the stream after its Goodbye. */
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(2);

    private final AgentSettings settings;
    private final ScheduledExecutorService loop;
    private final ExecutorService jobPool;
    private final ChannelFactory channels;
    private final AgentTimer timer;
    private final Backoff backoff;
    private final JobCommands commands;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean connected;
    private volatile String sessionId = "";
    private volatile Thread releaser;

    private final Map<JobKey, JobRun> jobs = new LinkedHashMap<>();
    private Session session;
    private long sessions;
    private AgentTimer.Cancellable reconnect;
    private AgentMetrics latestMetrics;
    private boolean collectingMetrics;
    private boolean serverDrain;
    private boolean localDrain;
    private boolean closing;
    private boolean saidGoodbye;
    private boolean terminating;
    private final List<AgentTimer.Cancellable> drainTimers = new ArrayList<>();

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
        this.backoff = new Backoff(settings.reconnectPolicy(), settings.jitter());
        this.commands = new JobCommands(this, settings.handler(), jobPool);
    }

    // ---- Public surface (any thread) ----

    public void start() {
        post(this::connect);
    }

    public CompletableFuture<Void> drain(Duration timeout) {
        post(() -> beginLocalDrain(timeout));
        return terminated;
    }

    public CompletableFuture<Void> close() {
        post(this::beginClose);
        return terminated;
    }

    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    public boolean connected() {
        return connected;
    }

    public String sessionId() {
        return sessionId;
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

    private AgentTimer.Cancellable scheduleOnLoop(Duration delay, Runnable task) {
        try {
            var future = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    /** Schedules through the (injectable) timer; the task itself always runs on the loop. */
    AgentTimer.Cancellable after(Duration delay, Runnable task) {
        return timer.schedule(delay, () -> post(task));
    }

    String agentId() {
        return settings.agentId();
    }

    // ---- Sessions ----

    private void connect() {
        reconnect = null;
        if (terminating) {
            return;
        }
        long id = ++sessions;
        Session opened = Session.open(id, this, channels.newChannel(), AgentMessage.newBuilder()
                .setHello(hello()).build());
        session = opened;
        opened.helloTimeout = after(settings.helloTimeout(), () -> {
            if (session == opened && opened.welcome == null) {
                endSession(opened, Status.DEADLINE_EXCEEDED.withDescription(
                        "no Welcome within " + settings.helloTimeout()), true);
            }
        });
        log.debug("connecting agent={} server={} attempt={}", settings.agentId(), settings.target(),
                  backoff.failures() + 1);
    }

    private Hello hello() {
        Hello.Builder hello = Hello.newBuilder()
                .setToken(settings.token())
                .setAgentId(settings.agentId())
                .setName(settings.name())
                .setVersion(settings.version())
                .setCapabilities(Capabilities.newBuilder()
                        .setSlots(settings.slots())
                        .putAllLabels(settings.labels())
                        .setExtra(settings.capabilities()))
                .setDrain(draining())
                .setEngineId(settings.engineId());
        for (JobRun run : jobs.values()) {
            if (run.status == Job.Status.ASSIGNED) {
                continue; // not acknowledged yet: the server does not consider it ours
            }
            // A job that ended while disconnected is listed as the server last knew it; its end
            // follows right after the Welcome, so the server sees every transition in order.
            Job.Status listed = isEnd(run.status) ? run.sentStatus : run.status;
            hello.addRunningJobs(RunningJob.newBuilder()
                    .setJobId(run.key.jobId()).setAttempt(run.key.attempt()).setStatus(listed));
        }
        return hello.build();
    }

    void onServerMessage(Session from, ServerMessage message) {
        if (from != session) {
            return; // a superseded stream: its messages describe a session that is gone
        }
        switch (message.getMsgCase()) {
            case WELCOME -> onWelcome(from, message.getWelcome());
            case ASSIGN -> onAssign(from, message.getAssign());
            case STOP -> commands.onStop(message.getStop());
            case KILL -> commands.onKill(message.getKill());
            case MUTE -> commands.onMute(message.getMute());
            case UNMUTE -> commands.onUnmute(message.getUnmute());
            case DRAIN -> onDrain(message.getDrain());
            case ERROR -> log.warn("server refused a message agent={} code={} job={} message={}",
                    settings.agentId(), message.getError().getCode(), message.getError().getJobId(),
                    message.getError().getMessage());
            default -> log.warn("unknown server message agent={} case={}", settings.agentId(),
                                message.getMsgCase());
        }
    }

    private void onWelcome(Session from, Welcome welcome) {
        if (from.welcome != null) {
            log.warn("second Welcome ignored agent={}", settings.agentId());
            return;
        }
        from.welcome = welcome;
        from.helloTimeout.cancel();
        backoff.reset();
        connected = true;
        sessionId = welcome.getSessionId();
        log.info("connected agent={} session={} server={} heartbeat_interval={} jobs={}",
                 settings.agentId(), welcome.getSessionId(), settings.target(),
                 heartbeatInterval(welcome), jobs.size());
        Set<String> rejected = new HashSet<>(welcome.getRejectedJobIdsList());
        for (JobRun run : new ArrayList<>(jobs.values())) {
            if (rejected.contains(run.key.jobId())) {
                dropRejected(run);
            } else if (run.status != run.sentStatus && run.status != Job.Status.ASSIGNED) {
                sendUpdate(run, Map.of());
            }
        }
        collectMetrics();
        scheduleHeartbeat(from);
        maybeFinish();
    }

    /** The server did not keep a job this agent listed; it also sends a Stop, but do not rely on it. */
    private void dropRejected(JobRun run) {
        if (isEnd(run.status)) {
            jobs.remove(run.key);
            log.info("server did not keep an ended job agent={} {} status={}", settings.agentId(),
                     run, run.status);
            return;
        }
        log.info("server did not keep a running job, stopping it agent={} {}", settings.agentId(), run);
        commands.requestStop(run, stopGrace(), "the server did not keep the job", "");
    }

    void onSessionEnded(Session ended, Status status) {
        if (ended != session) {
            return;
        }
        endSession(ended, status, false);
    }

    private void endSession(Session ended, Status status, boolean fromHere) {
        if (fromHere) {
            ended.close(status.getDescription());
        } else {
            ended.release();
        }
        session = null;
        connected = false;
        if (saidGoodbye || terminating || closing || (leaving() && jobs.isEmpty())) {
            terminate(); // leaving, and nothing left that a new session would have to report
            return;
        }
        if (backoff.exhausted()) {
            log.error("giving up reconnecting agent={} attempts={} last_status={}",
                      settings.agentId(), backoff.failures(), describe(status));
            terminate();
            return;
        }
        Duration delay = backoff.nextDelay();
        if (ended.welcome != null) {
            log.info("disconnected agent={} status={} reconnect_in={}ms", settings.agentId(),
                     describe(status), delay.toMillis());
        } else {
            logFailedAttempt(status, delay);
        }
        reconnect = after(delay, this::connect);
    }

    private void logFailedAttempt(Status status, Duration delay) {
        Status.Code code = status.getCode();
        if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED
            || code == Status.Code.INVALID_ARGUMENT) {
            // Configuration the operator must fix; retrying keeps the agent ready once they do.
            log.error("server refused the agent agent={} status={} reconnect_in={}ms",
                      settings.agentId(), describe(status), delay.toMillis());
        } else {
            log.info("cannot connect agent={} server={} status={} failures={} reconnect_in={}ms",
                     settings.agentId(), settings.target(), describe(status), backoff.failures(),
                     delay.toMillis());
        }
    }

    private static String describe(Status status) {
        return status.getDescription() == null ? status.getCode().toString()
                                               : status.getCode() + " (" + status.getDescription() + ')';
    }

    /** The current session, if the server has welcomed it. */
    Session welcomedSession() {
        return session != null && session.welcomed() ? session : null;
    }

    Duration stopGrace() {
        Session current = welcomedSession();
        return current == null
               ? settings.defaultStopGrace()
               : ProtoTime.positiveOr(current.welcome.hasStopGrace(), current.welcome.getStopGrace(),
                                      settings.defaultStopGrace());
    }

    // ---- Heartbeats ----

    private static Duration heartbeatInterval(Welcome welcome) {
        return ProtoTime.positiveOr(welcome.hasHeartbeatInterval(), welcome.getHeartbeatInterval(),
                                    DEFAULT_HEARTBEAT);
    }

    private void scheduleHeartbeat(Session of) {
        of.nextHeartbeat = after(heartbeatInterval(of.welcome), () -> heartbeat(of));
    }

    private void heartbeat(Session of) {
        if (of != session || !of.welcomed()) {
            return;
        }
        Heartbeat.Builder beat = Heartbeat.newBuilder();
        if (latestMetrics != null) {
            beat.setMetrics(latestMetrics);
        }
        of.send(AgentMessage.newBuilder().setHeartbeat(beat).build());
        collectMetrics();
        scheduleHeartbeat(of);
    }

    /** Collects off the loop, so a slow collector delays no heartbeat (it just sends older metrics). */
    private void collectMetrics() {
        if (collectingMetrics) {
            return;
        }
        collectingMetrics = true;
        try {
            jobPool.execute(() -> {
                AgentMetrics metrics = null;
                try {
                    metrics = settings.metrics().collect();
                } catch (RuntimeException e) {
                    log.warn("heartbeat metrics failed agent={} error={}", settings.agentId(), e.toString());
                }
                AgentMetrics collected = metrics;
                post(() -> {
                    collectingMetrics = false;
                    if (collected != null) {
                        latestMetrics = collected;
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            collectingMetrics = false;
        }
    }

    // ---- Jobs ----

    private void onAssign(Session from, Assign assign) {
        Assignment assignment = Assignment.of(assign);
        JobKey key = new JobKey(assign.getJobId(), assign.getAttempt());
        JobRun existing = jobs.get(key);
        if (existing != null) {
            // The server repeated an assignment this agent already holds: answer the same way.
            if (existing.status != Job.Status.ASSIGNED) {
                sendAck(from, key, true, "");
            }
            return;
        }
        if (draining()) {
            reject(from, key, "agent " + settings.agentId() + " is draining");
            return;
        }
        long busy = liveJobs();
        if (busy >= settings.slots()) {
            reject(from, key, "no free slot (" + busy + " of " + settings.slots() + " in use)");
            return;
        }
        JobRun run = new JobRun(this, assignment, from, new SerialExecutor(jobPool));
        jobs.put(key, run);
        log.debug("job assigned agent={} {}", settings.agentId(), run);
        try {
            jobPool.execute(() -> JobThread.run(this, settings.handler(), run));
        } catch (RejectedExecutionException e) {
            jobs.remove(key);
        }
    }

    private void reject(Session from, JobKey key, String reason) {
        log.info("job refused agent={} job={} attempt={} reason={}", settings.agentId(),
                 key.jobId(), key.attempt(), reason);
        sendAck(from, key, false, reason);
    }

    /** The handler decided; returns whether the job thread may go on to run it. */
    boolean onDecision(JobRun run, boolean accepted, String reason) {
        if (jobs.get(run.key) != run) {
            return false;
        }
        Session current = welcomedSession();
        if (current != run.assignedIn) {
            // The ack cannot reach the server that offered the job; it will offer it again.
            jobs.remove(run.key);
            log.info("assignment dropped, its session ended agent={} {}", settings.agentId(), run);
            return false;
        }
        if (accepted && draining()) {
            accepted = false;
            reason = "agent " + settings.agentId() + " is draining";
        }
        if (!accepted) {
            jobs.remove(run.key);
            reject(current, run.key, reason);
            maybeFinish();
            return false;
        }
        sendAck(current, run.key, true, "");
        run.status = Job.Status.ACCEPTED;
        run.sentStatus = Job.Status.ACCEPTED;
        log.info("job accepted agent={} {}", settings.agentId(), run);
        return true;
    }

    private void sendAck(Session to, JobKey key, boolean accepted, String reason) {
        to.send(AgentMessage.newBuilder().setAssignAck(AssignAck.newBuilder()
                .setJobId(key.jobId()).setAttempt(key.attempt())
                .setAccepted(accepted).setReason(reason)).build());
    }

    void onStatus(JobRun run, Job.Status next) {
        if (jobs.get(run.key) != run || isEnd(run.status) || run.status == next) {
            return;
        }
        run.status = next;
        sendUpdate(run, Map.of());
    }

    void onProgress(JobRun run, Map<String, Double> gauges) {
        boolean reportable = run.status == Job.Status.STARTING || run.status == Job.Status.RUNNING;
        if (jobs.get(run.key) == run && reportable) {
            sendUpdate(run, gauges);
        }
    }

    void onEnd(JobRun run, Job.Status last, String error, Integer exitCode) {
        if (jobs.get(run.key) != run || isEnd(run.status)) {
            return;
        }
        run.status = last;
        run.error = error;
        run.exitCode = exitCode;
        log.info("job ended agent={} {} status={} exit_code={}{}", settings.agentId(), run, last,
                 exitCode == null ? "-" : exitCode, error.isEmpty() ? "" : " error=" + firstLine(error));
        sendUpdate(run, Map.of());
        maybeFinish();
    }

    /** Sends the run's current status if a welcomed session is up; otherwise the next Welcome will. */
    private void sendUpdate(JobRun run, Map<String, Double> progress) {
        Session current = welcomedSession();
        if (current == null) {
            return;
        }
        JobUpdate.Builder update = JobUpdate.newBuilder()
                .setJobId(run.key.jobId()).setAttempt(run.key.attempt())
                .setStatus(run.status).setError(run.error).putAllProgress(progress);
        if (run.exitCode != null) {
            update.setExitCode(run.exitCode);
        }
        current.send(AgentMessage.newBuilder().setJobUpdate(update).build());
        run.sentStatus = run.status;
        if (isEnd(run.status)) {
            jobs.remove(run.key);
        }
    }

    void sendCommandAck(String correlationId, boolean success, String error) {
        Session current = welcomedSession();
        if (correlationId.isEmpty() || current == null) {
            return; // nothing to correlate, or the session that asked is gone
        }
        current.send(AgentMessage.newBuilder().setCommandAck(CommandAck.newBuilder()
                .setCorrelationId(correlationId).setSuccess(success).setError(error)).build());
    }

    JobRun find(String jobId, int attempt) {
        if (attempt != 0) {
            return jobs.get(new JobKey(jobId, attempt));
        }
        return jobs.values().stream().filter(run -> run.key.jobId().equals(jobId)).findFirst()
                   .orElse(null);
    }

    private long liveJobs() {
        return jobs.values().stream().filter(run -> !isEnd(run.status)).count();
    }

    private List<JobRun> liveRuns() {
        return jobs.values().stream().filter(run -> !isEnd(run.status)).toList();
    }

    static boolean isEnd(Job.Status status) {
        return status == Job.Status.STOPPED || status == Job.Status.FAILED;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }

    // ---- Drain, Goodbye, termination ----

    private boolean draining() {
        return serverDrain || localDrain || closing;
    }

    private boolean leaving() {
        return localDrain || closing || (serverDrain && settings.exitWhenDrained());
    }

    private void onDrain(Drain drain) {
        if (!drain.getDrain()) {
            if (localDrain || closing) {
                log.info("undrain ignored, the agent is leaving agent={}", settings.agentId());
                return;
            }
            serverDrain = false;
            cancelDrainTimers();
            log.info("back in service agent={}", settings.agentId());
            return;
        }
        serverDrain = true;
        log.info("draining on server request agent={} jobs={} deadline={}", settings.agentId(),
                 liveJobs(), drain.hasDeadline() ? drain.getDeadline() : "none");
        if (drain.hasDeadline()) {
            Instant deadline = Instant.ofEpochSecond(drain.getDeadline().getSeconds(),
                                                     drain.getDeadline().getNanos());
            Duration left = Duration.between(Instant.now(), deadline);
            drainTimers.add(after(left.isNegative() ? Duration.ZERO : left,
                                  () -> stopAll("drain deadline passed")));
        }
        maybeFinish();
    }

    private void beginLocalDrain(Duration timeout) {
        if (localDrain || closing || terminating) {
            return;
        }
        localDrain = true;
        log.info("draining agent={} jobs={} timeout={}", settings.agentId(), liveJobs(), timeout);
        drainTimers.add(after(timeout, () -> stopAll("drain timeout passed")));
        // Leaving is bounded even if a job survives its kill or the server never comes back.
        drainTimers.add(after(timeout.plus(stopGrace()).plus(settings.closeTimeout()), this::terminate));
        maybeFinish();
    }

    private void beginClose() {
        if (closing || terminating) {
            return;
        }
        closing = true;
        log.info("closing agent={} jobs={}", settings.agentId(), liveJobs());
        for (JobRun run : liveRuns()) {
            commands.requestKill(run, "agent closing", "");
        }
        // Jobs that ignore the kill do not hold the agent: close() ends their threads by interrupt.
        drainTimers.add(after(settings.closeTimeout(), this::terminate));
        if (welcomedSession() == null) {
            terminate();
            return;
        }
        maybeFinish();
    }

    /** Stops every running job with the server's grace, then kills the ones still running. */
    private void stopAll(String reason) {
        List<JobRun> live = liveRuns();
        if (live.isEmpty()) {
            return;
        }
        Duration grace = stopGrace();
        log.info("stopping all jobs agent={} jobs={} grace={} reason={}", settings.agentId(),
                 live.size(), grace, reason);
        live.forEach(run -> commands.requestStop(run, grace, reason, ""));
        drainTimers.add(after(grace, () -> liveRuns().forEach(
                run -> commands.requestKill(run, reason + ", grace over", ""))));
    }

    private void cancelDrainTimers() {
        drainTimers.forEach(AgentTimer.Cancellable::cancel);
        drainTimers.clear();
    }

    /** Says Goodbye and leaves once the agent is leaving and no job is left to report. */
    void maybeFinish() {
        if (!leaving() || saidGoodbye || terminating || !jobs.isEmpty()) {
            return;
        }
        Session current = welcomedSession();
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
        drainTimers.add(after(GOODBYE_WAIT, this::terminate));
    }

    private void terminate() {
        if (terminating) {
            return;
        }
        terminating = true;
        connected = false;
        cancelDrainTimers();
        if (reconnect != null) {
            reconnect.cancel();
        }
        Session last = session;
        session = null;
        if (last != null) {
            last.close(saidGoodbye ? "agent left" : "agent terminated");
        }
        // Releasing threads waits for them; never from the loop, which is one of them.
        Thread releaser = new Thread(() -> release(last), "baton-agent-release");
        releaser.setDaemon(false);
        this.releaser = releaser;
        releaser.start();
    }

    /** After termination: waits until the thread that released the others has ended too. */
    public void awaitReleased(Duration timeout) throws InterruptedException {
        Thread thread = releaser;
        if (thread != null && thread != Thread.currentThread()) {
            thread.join(timeout.toMillis());
        }
    }

    private void release(Session last) {
        try {
            if (last != null) {
                last.channel().awaitTermination(5, TimeUnit.SECONDS);
            }
            jobPool.shutdownNow(); // interrupts job threads that outlived the close timeout
            jobPool.awaitTermination(5, TimeUnit.SECONDS);
            channels.close();
            loop.shutdown();
            loop.awaitTermination(5, TimeUnit.SECONDS);
            log.info("agent stopped agent={}", settings.agentId());
            terminated.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminated.complete(null);
        } catch (RuntimeException e) {
            terminated.completeExceptionally(e);
        }
    }
}
