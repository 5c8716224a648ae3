package dev.baton.server.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.AssignAck;
import dev.baton.proto.v1.CommandAck;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobAttempt;
import dev.baton.proto.v1.JobUpdate;
import dev.baton.proto.v1.Kill;
import dev.baton.proto.v1.Mute;
import dev.baton.proto.v1.RestartPolicy;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Stop;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.Unmute;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.error.BatonException;
import dev.baton.server.fleet.AgentRecord;
import dev.baton.server.fleet.Fleet;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.time.TimeSource;
import dev.baton.server.watch.WatchHub;

/**
 * Moves jobs through their lifecycle: assignment and ack, status updates, agent loss and return,
 * restart policies with backoff, stop → kill → give up, mute/unmute with acks, and wait timeouts.
 * Every status change passes {@link JobStateMachine}, is written to the store (write-behind) and
 * published as a watch event. Runs only on the control loop.
 */
public final class JobLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobLifecycle.class);

    /** Refusal sent back to an agent whose message did not apply. */
    public record Refusal(String code, String message, String jobId) {}

    private record PendingCommand(String jobId, int attempt, boolean mute, CompletableFuture<Job> result,
                                  TimeSource.Timer timer) {}

    private final BatonConfig config;
    private final ControlLoop loop;
    private final JobBook book;
    private final Fleet fleet;
    private final WatchHub hub;
    private final BatonStore store;
    private final RestartBackoff backoff;
    private final SubmitPlacement placements;
    private final Map<String, PendingCommand> pendingCommands = new HashMap<>();
    private Runnable schedulingRequest = () -> {};

    public JobLifecycle(BatonConfig config, ControlLoop loop, JobBook book, Fleet fleet, WatchHub hub,
                        BatonStore store, RestartBackoff backoff) {
        this.config = config;
        this.loop = loop;
        this.book = book;
        this.fleet = fleet;
        this.hub = hub;
        this.store = store;
        this.backoff = backoff;
        this.placements = new SubmitPlacement(fleet, book);
    }

    /** Where submits place jobs before they are stored (see {@link SubmitPlacement}). */
    SubmitPlacement placements() {
        return placements;
    }

    /** How the lifecycle asks for a scheduling pass (a freed slot, a job back in the queue). */
    public void onSchedulingNeeded(Runnable request) {
        this.schedulingRequest = request;
    }

    private Instant now() {
        return loop.time().now();
    }

    // ---- recording changes ---------------------------------------------------------------

    /** Applies a status change checked against the table, stores it and publishes it. */
    void transition(JobRecord r, Job.Status to, Consumer<Job.Builder> edits) {
        save(r, changed(r, to, edits));
    }

    /** The job after a status change checked against the table; nothing stored or published yet. */
    private Job changed(JobRecord r, Job.Status to, Consumer<Job.Builder> edits) {
        Job.Status from = r.status();
        JobStateMachine.check(r.id(), from, to);
        Job.Builder b = r.job().toBuilder().setStatus(to).setUpdatedAt(ts(now()));
        edits.accept(b);
        int last = b.getAttemptsCount() - 1;
        if (last >= 0 && b.getAttempts(last).getAttempt() == b.getAttempt() && from != Job.Status.PENDING) {
            JobAttempt.Builder attempt = b.getAttempts(last).toBuilder();
            if (to != Job.Status.PENDING) {
                // Back to PENDING, an attempt keeps the last status it reached (it tells whether it ran).
                attempt.setStatus(to);
            }
            if (to == Job.Status.RUNNING && !attempt.hasStartedAt()) {
                attempt.setStartedAt(ts(now()));
            }
            if (JobStateMachine.isTerminal(to) || to == Job.Status.PENDING) {
                attempt.setEndedAt(ts(now()));
            }
            b.setAttempts(last, attempt);
        }
        if (log.isDebugEnabled()) {
            log.debug("event=job-transition job={} attempt={} from={} to={}", r.id(), b.getAttempt(), from, to);
        }
        return b.build();
    }

    /**
     * Stores and publishes a new snapshot of a job (no status check: callers changed no status).
     * Write-behind: callers answer from memory without waiting for the disk, so the store may sync
     * it a few milliseconds later (see {@link BatonStore#writeBehind}); a status lost with the
     * machine is recovered like any lost status, from the agents' next Hello.
     */
    void save(JobRecord r, Job next) {
        record(r, next, store::writeBehind).exceptionally(e -> {
            log.warn("event=job-write-failed job={} error=\"{}\"", next.getId(), e.getMessage());
            return null;
        });
    }

    /** Like {@link #save}, for a snapshot the server acts on once it is committed (see {@link BatonStore#writeCommitted}). */
    private CompletableFuture<Void> saveCommitted(JobRecord r, Job next) {
        return record(r, next, store::writeCommitted);
    }

    /** Books and publishes {@code next}, and hands it to the store with {@code write}. */
    private CompletableFuture<Void> record(JobRecord r, Job next,
                                           Function<List<StoreWrite>, CompletableFuture<Void>> write) {
        book.update(r, next);
        hub.jobChanged(WatchEvent.Type.UPDATED, next);
        return write.apply(List.of(new StoreWrite.PutJob(next, r.sequence)));
    }

    /** Replaces only the reason a PENDING job is waiting, when it changed. */
    public void setPendingReason(JobRecord r, String reason) {
        if (r.status() != Job.Status.PENDING || reason.equals(r.job().getStatusReason())) {
            return;
        }
        save(r, r.job().toBuilder().setStatusReason(reason).build());
    }

    // ---- entering the queue ----------------------------------------------------------------

    /** Puts a PENDING job in the placement queue and starts its wait timeout. */
    public void enqueue(JobRecord r) {
        if (r.status() != Job.Status.PENDING) {
            return;
        }
        if (r.job().hasNotBefore() && Timestamps.toMillis(r.job().getNotBefore()) > now().toEpochMilli()) {
            Duration delay = Duration.ofMillis(Timestamps.toMillis(r.job().getNotBefore()) - now().toEpochMilli());
            int attempt = r.job().getAttempt();
            r.backoffTimer = loop.schedule(delay, () -> {
                JobRecord current = book.get(r.id());
                if (current != null && current.status() == Job.Status.PENDING && current.job().getAttempt() == attempt) {
                    current.backoffTimer = null;
                    save(current, current.job().toBuilder().clearNotBefore().build());
                    enqueue(current);
                }
            });
            return;
        }
        r.explainedAt = -1;
        book.markReady(r);
        startWaitTimer(r);
        schedulingRequest.run();
    }

    private void startWaitTimer(JobRecord r) {
        r.cancelWaitTimer();
        Duration wait = Duration.ofMillis(Durations.toMillis(r.job().getWaitTimeout()));
        if (wait.isZero()) {
            return;
        }
        int attempt = r.job().getAttempt();
        r.waitTimer = loop.schedule(wait, () -> {
            JobRecord current = book.get(r.id());
            if (current == null || current.status() != Job.Status.PENDING || current.job().getAttempt() != attempt) {
                return;
            }
            book.unmarkReady(current);
            String why = current.job().getStatusReason().isEmpty() ? "no agent took it" : current.job().getStatusReason();
            end(current, Job.Status.FAILED, "waited " + human(wait) + " without being placed: " + why, null);
            log.info("event=job-wait-timeout job={} waited={}", current.id(), human(wait));
        });
    }

    // ---- assignment --------------------------------------------------------------------------

    /**
     * Offers {@code r} to {@code agent}: ASSIGNED with a new attempt and the agent's slots taken at
     * once; the Assign goes out only when that snapshot is committed. Otherwise a crash of the server
     * between the two would leave an agent running an attempt the store never heard of: the restarted
     * server would place the job again and refuse the agent's attempt (a job run twice, a finished
     * one run again).
     */
    public void assign(JobRecord r, AgentRecord agent) {
        int attempt = r.job().getAttempt() + 1;
        Instant now = now();
        book.unmarkReady(r);
        r.cancelWaitTimer();
        Job assigned = changed(r, Job.Status.ASSIGNED, b -> assignment(b, agent, attempt, now));
        agent.addJob(r.id(), r.slots());
        r.assignUnsent = true;
        saveCommitted(r, assigned).whenComplete((ignored, error) -> loop.execute(() -> assignRecorded(r, attempt, error)));
        fleet.publish(agent);
    }

    /** A new attempt on {@code agent}: the edits that make a waiting job's snapshot ASSIGNED. */
    private static void assignment(Job.Builder b, AgentRecord agent, int attempt, Instant now) {
        b.setAttempt(attempt)
         .setAgentId(agent.id())
         .setAssignedAt(ts(now))
         .clearStartedAt()
         .clearProgress()
         .setStatusReason("")
         .addAttempts(JobAttempt.newBuilder().setAttempt(attempt).setAgentId(agent.id())
                                .setStatus(Job.Status.ASSIGNED).setAssignedAt(ts(now)));
    }

    /** A job being submitted, already ASSIGNED to {@code agent} (see {@link SubmitPlacement}). */
    static Job assignedTo(Job pending, AgentRecord agent, int attempt, Instant now) {
        Job.Builder b = pending.toBuilder().setStatus(Job.Status.ASSIGNED).setUpdatedAt(ts(now));
        assignment(b, agent, attempt, now);
        return b.build();
    }

    /**
     * A job placed at submit is in the book, its ASSIGNED snapshot committed with it: the Assign
     * goes out as for a job placed from the queue. Unless its agent reconnected ({@code held} is
     * false) or began draining while the commit ran: a drain deadline that fell then did not see
     * the job, and a new Hello may have changed what the agent can take, so it goes back to the queue.
     */
    void placedAtSubmit(JobRecord r, boolean held) {
        r.assignUnsent = true;
        String agentId = r.job().getAgentId();
        AgentRecord agent = fleet.get(agentId);
        if (!held || agent != null && agent.drain()) {
            backToQueue(r, "agent " + agentId + (held ? " began draining" : " reconnected")
                           + " while its assignment was being stored", false);
            return;
        }
        assignRecorded(r, r.job().getAttempt(), null);
        if (agent != null) {
            fleet.publish(agent);
        }
    }

    /** The ASSIGNED snapshot of {@code attempt} was committed (or could not be): the Assign goes out. */
    private void assignRecorded(JobRecord r, int attempt, Throwable error) {
        if (!r.assignUnsent || r.status() != Job.Status.ASSIGNED || r.job().getAttempt() != attempt
            || book.get(r.id()) != r) {
            return; // it moved on meanwhile: its agent went away, or a stop cancelled it
        }
        r.assignUnsent = false;
        AgentRecord agent = fleet.get(r.job().getAgentId());
        if (error == null && (agent == null || !agent.online())) {
            error = new IllegalStateException("agent " + r.job().getAgentId() + " is gone");
        }
        if (error != null) {
            String why = error instanceof CompletionException ? error.getCause().getMessage() : error.getMessage();
            log.warn("event=assign-not-recorded job={} attempt={} error=\"{}\"", r.id(), attempt, why);
            backToQueue(r, "the assignment to agent " + r.job().getAgentId() + " could not be stored (" + why
                           + "); it is retried", true);
            return;
        }
        Instant now = now();
        agent.session().send(ServerMessage.newBuilder().setAssign(Assign.newBuilder()
                .setJobId(r.id())
                .setAttempt(attempt)
                .setConfig(r.job().getConfig())
                .setIdempotencyKey(r.job().getIdempotencyKey())
                .setTemplateId(r.job().getTemplateId())
                .setMetadata(r.job().getMetadata())
                .setAckDeadline(ts(now.plus(config.ackTimeout())))).build());
        r.ackTimer = loop.schedule(config.ackTimeout(), () -> ackTimedOut(r.id(), attempt, config.ackTimeout()));
    }

    private void ackTimedOut(String jobId, int attempt, Duration waited) {
        JobRecord r = book.get(jobId);
        if (r == null || r.job().getAttempt() != attempt || r.status() != Job.Status.ASSIGNED) {
            return;
        }
        r.ackTimer = null;
        String agentId = r.job().getAgentId();
        log.info("event=ack-timeout job={} attempt={} agent={}", jobId, attempt, agentId);
        backToQueue(r, "agent " + agentId + " did not acknowledge attempt " + attempt + " within "
                       + human(waited), true);
    }

    /** An unacknowledged (or refused) assignment goes back to PENDING; the agent may be avoided for a while. */
    private void backToQueue(JobRecord r, String reason, boolean avoidAgent) {
        String agentId = r.job().getAgentId();
        AgentRecord agent = fleet.get(agentId);
        if (agent != null) {
            agent.removeJob(r.id(), r.slots());
        }
        r.cancelAckTimer();
        if (avoidAgent && !agentId.isEmpty()) {
            Instant until = now().plus(config.ackTimeout());
            r.avoid(agentId, until);
            loop.schedule(config.ackTimeout(), schedulingRequest);
        }
        transition(r, Job.Status.PENDING, b -> b.setAgentId("").setStatusReason(reason).clearAssignedAt());
        setLastAttemptReason(r, reason);
        enqueue(r);
        if (agent != null) {
            fleet.publish(agent);
        }
    }

    /** True while {@code agent} is passed over for {@code r} (it let an ack time out or refused it). */
    public boolean avoids(JobRecord r, AgentRecord agent) {
        Instant until = r.avoidedUntil(agent.id());
        if (until == null) {
            return false;
        }
        if (!now().isBefore(until)) {
            r.stopAvoiding(agent.id());
            return false;
        }
        return true;
    }

    /** Applies an AssignAck; a refusal is returned for the agent when the ack does not apply. */
    public Refusal onAssignAck(AgentRecord agent, AssignAck ack) {
        JobRecord r = book.get(ack.getJobId());
        Refusal refusal = checkHolder(agent, r, ack.getJobId(), ack.getAttempt());
        if (refusal != null) {
            return refusal;
        }
        if (r.status() != Job.Status.ASSIGNED) {
            // A duplicate ack, or an update overtook it: nothing to do.
            return null;
        }
        r.cancelAckTimer();
        if (ack.getAccepted()) {
            transition(r, Job.Status.ACCEPTED, b -> { });
            fleet.publish(agent);
            return null;
        }
        String reason = "agent " + agent.id() + " refused attempt " + ack.getAttempt()
                        + (ack.getReason().isEmpty() ? "" : ": " + ack.getReason());
        log.info("event=assign-refused job={} attempt={} agent={} reason=\"{}\"", r.id(), ack.getAttempt(),
                 agent.id(), ack.getReason());
        backToQueue(r, reason, true);
        return null;
    }

    /** Applies a JobUpdate; a refusal is returned when it does not apply. */
    public Refusal onJobUpdate(AgentRecord agent, JobUpdate update) {
        JobRecord r = book.get(update.getJobId());
        Refusal refusal = checkHolder(agent, r, update.getJobId(), update.getAttempt());
        if (refusal != null) {
            return refusal;
        }
        Job.Status reported = update.getStatus();
        switch (reported) {
            case STARTING, RUNNING -> {
                r.cancelAckTimer();
                if (r.status() == Job.Status.STOPPING || r.status() == reported) {
                    if (update.getProgressCount() > 0) {
                        save(r, r.job().toBuilder().putAllProgress(update.getProgressMap()).build());
                    }
                    return null;
                }
                if (!JobStateMachine.isAllowed(r.status(), reported)) {
                    return new Refusal("ILLEGAL_TRANSITION", "job " + r.id() + " cannot go from " + r.status()
                                                             + " to " + reported, r.id());
                }
                transition(r, reported, b -> {
                    if (reported == Job.Status.RUNNING) {
                        b.setStartedAt(ts(now()));
                    }
                    b.putAllProgress(update.getProgressMap()).setStatusReason("");
                });
                fleet.publish(agent);
                return null;
            }
            case STOPPED, FAILED -> {
                finished(r, agent, reported, update.getError(), update.hasExitCode() ? update.getExitCode() : null);
                return null;
            }
            default -> {
                return new Refusal("INVALID_STATUS", "agents report STARTING, RUNNING, STOPPED or FAILED, not "
                                                     + reported, r.id());
            }
        }
    }

    /** Null when {@code agent} holds this attempt of the job; otherwise why not (job logs use it too). */
    public Refusal checkHolder(AgentRecord agent, JobRecord r, String jobId, int attempt) {
        if (r == null) {
            return new Refusal("UNKNOWN_JOB", "job \"" + jobId + "\" is not known to this server", jobId);
        }
        Job job = r.job(); // once: a finished job is parsed by each read
        if (!agent.id().equals(job.getAgentId()) || attempt != job.getAttempt()
            || !JobStateMachine.isOnAgent(r.status())) {
            return new Refusal("STALE_ATTEMPT", "job " + jobId + " attempt " + attempt + " is not held by agent "
                                                + agent.id() + " (current attempt " + job.getAttempt()
                                                + (job.getAgentId().isEmpty() ? "" : " on " + job.getAgentId())
                                                + ", status " + r.status() + ")", jobId);
        }
        return null;
    }

    /** The agent says the attempt ended. */
    private void finished(JobRecord r, AgentRecord agent, Job.Status reported, String error, Integer exitCode) {
        agent.removeJob(r.id(), r.slots());
        r.cancelAckTimer();
        r.cancelStopTimers();
        String detail = error.isEmpty() ? (exitCode == null ? "" : "exit code " + exitCode) : error;
        if (r.job().getStopRequested()) {
            end(r, Job.Status.STOPPED, reported == Job.Status.FAILED && !detail.isEmpty()
                                       ? "stopped on request (agent reported: " + detail + ")" : "", exitCode);
        } else if (reported == Job.Status.STOPPED) {
            if (r.job().getRestartPolicy() == RestartPolicy.RESTART_POLICY_ALWAYS && canRestart(r)) {
                restart(r, "exited cleanly; restart policy ALWAYS", exitCode);
            } else {
                end(r, Job.Status.STOPPED, "", exitCode);
            }
        } else if (r.job().getRestartPolicy() != RestartPolicy.RESTART_POLICY_NEVER
                   && r.job().getRestartPolicy() != RestartPolicy.RESTART_POLICY_UNSPECIFIED && canRestart(r)) {
            restart(r, "failed: " + (detail.isEmpty() ? "no reason given" : detail), exitCode);
        } else {
            end(r, Job.Status.FAILED, detail.isEmpty() ? "the agent reported FAILED" : detail, exitCode);
        }
        fleet.publish(agent);
        schedulingRequest.run();
    }

    /** Attempts that got past the assignment (acks that timed out or were refused do not count). */
    private static int runs(Job job) {
        int runs = 0;
        for (JobAttempt attempt : job.getAttemptsList()) {
            if (attempt.getStatus() != Job.Status.ASSIGNED && attempt.getStatus() != Job.Status.PENDING) {
                runs++;
            }
        }
        return runs;
    }

    private boolean canRestart(JobRecord r) {
        return runs(r.job()) < r.job().getMaxAttempts();
    }

    private void restart(JobRecord r, String why, Integer exitCode) {
        int restartNumber = Math.max(1, runs(r.job()));
        Duration delay = backoff.delay(restartNumber);
        Instant notBefore = now().plus(delay);
        String reason = why + "; restart " + restartNumber + " of " + (r.job().getMaxAttempts() - 1) + " after "
                        + human(delay);
        log.info("event=job-restart job={} attempt={} delay_ms={} reason=\"{}\"", r.id(), r.job().getAttempt(),
                 delay.toMillis(), why);
        transition(r, Job.Status.PENDING, b -> {
            b.setAgentId("").setStatusReason(reason).setNotBefore(ts(notBefore)).clearAssignedAt();
            if (exitCode != null) {
                b.setExitCode(exitCode);
            }
        });
        setLastAttemptReason(r, why);
        enqueue(r);
    }

    /** Ends the job in a terminal status. */
    void end(JobRecord r, Job.Status status, String reason, Integer exitCode) {
        r.cancelTimers();
        book.unmarkReady(r);
        transition(r, status, b -> {
            b.setEndedAt(ts(now())).setStatusReason(reason);
            if (status == Job.Status.FAILED) {
                b.setFailureReason(reason);
            }
            if (exitCode != null) {
                b.setExitCode(exitCode);
            }
        });
        if (!reason.isEmpty()) {
            setLastAttemptReason(r, reason);
        }
        log.info("event=job-ended job={} attempt={} status={} reason=\"{}\"", r.id(), r.job().getAttempt(), status,
                 reason);
    }

    private void setLastAttemptReason(JobRecord r, String reason) {
        int last = r.job().getAttemptsCount() - 1;
        if (last < 0) {
            return;
        }
        Job.Builder b = r.job().toBuilder();
        b.setAttempts(last, b.getAttempts(last).toBuilder().setReason(reason));
        if (r.job().getExitCode() != 0 || r.job().hasExitCode()) {
            b.setAttempts(last, b.getAttempts(last).toBuilder().setExitCode(r.job().getExitCode()));
        }
        save(r, b.build());
    }

    // ---- agent loss and return ---------------------------------------------------------------

    /** The agent went offline: unacknowledged jobs go back to the queue, the others wait as UNKNOWN. */
    public void onAgentLost(AgentRecord agent, String why) {
        for (String jobId : new ArrayList<>(agent.jobIds())) {
            JobRecord r = book.get(jobId);
            if (r == null) {
                continue;
            }
            switch (r.status()) {
                case ASSIGNED -> backToQueue(r, "agent " + agent.id() + " went offline before acknowledging", false);
                // A stopping job keeps stopRequested: if the agent returns, Stop is sent again.
                case ACCEPTED, STARTING, RUNNING, STOPPING -> markUnknown(r, agent, why);
                default -> { }
            }
        }
        fleet.publish(agent);
    }

    private void markUnknown(JobRecord r, AgentRecord agent, String why) {
        r.cancelStopTimers();
        transition(r, Job.Status.UNKNOWN, b -> b.setStatusReason(
                "agent " + agent.id() + " is offline (" + why + "); waiting up to " + human(config.lostAfter())
                + " for it to return"));
        int attempt = r.job().getAttempt();
        r.cancelLostTimer();
        r.lostTimer = loop.schedule(config.lostAfter(), () -> lostTimedOut(r.id(), attempt));
    }

    /** After a restart of the server: jobs that were on agents wait for them as UNKNOWN. */
    public void awaitReturn(JobRecord r, AgentRecord agent) {
        agent.addJob(r.id(), r.slots());
        switch (r.status()) {
            case ASSIGNED -> {
                // Its Assign may have gone out (it is sent once this was stored): the agent's Hello
                // tells; an agent that does not come back in the lost-after window never took it.
                int attempt = r.job().getAttempt();
                r.ackTimer = loop.schedule(config.lostAfter(), () -> ackTimedOut(r.id(), attempt, config.lostAfter()));
            }
            case ACCEPTED, STARTING, RUNNING, STOPPING -> markUnknown(r, agent, "server restarted");
            case UNKNOWN -> {
                int attempt = r.job().getAttempt();
                r.lostTimer = loop.schedule(config.lostAfter(), () -> lostTimedOut(r.id(), attempt));
            }
            default -> { }
        }
    }

    private void lostTimedOut(String jobId, int attempt) {
        JobRecord r = book.get(jobId);
        if (r == null || r.status() != Job.Status.UNKNOWN || r.job().getAttempt() != attempt) {
            return;
        }
        r.lostTimer = null;
        AgentRecord agent = fleet.get(r.job().getAgentId());
        if (agent != null) {
            agent.removeJob(r.id(), r.slots());
        }
        lost(r, "agent " + r.job().getAgentId() + " did not return within " + human(config.lostAfter()));
        if (agent != null) {
            fleet.publish(agent);
        }
        schedulingRequest.run();
    }

    /** The attempt is gone with its agent: the restart policy decides. */
    private void lost(JobRecord r, String why) {
        if (r.job().getStopRequested()) {
            end(r, Job.Status.STOPPED, why + " while stopping; presumed stopped", null);
            return;
        }
        RestartPolicy policy = r.job().getRestartPolicy();
        boolean restarts = policy == RestartPolicy.RESTART_POLICY_ON_FAILURE || policy == RestartPolicy.RESTART_POLICY_ALWAYS;
        if (restarts && canRestart(r)) {
            restart(r, why, null);
        } else if (restarts) {
            end(r, Job.Status.FAILED, why + "; gave up after " + runs(r.job()) + " attempts", null);
        } else {
            end(r, Job.Status.FAILED, why + " (restart policy NEVER)", null);
        }
    }

    /** Why each of the reported jobs may not stay on {@code agent} (empty when all may); no side effects. */
    public Map<String, String> refusedRunningJobs(AgentRecord agent, List<RunningJob> running) {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        int slotsKept = 0;
        Set<String> seen = new HashSet<>();
        for (RunningJob rj : running) {
            if (!seen.add(rj.getJobId())) {
                continue;
            }
            JobRecord r = book.get(rj.getJobId());
            // The status first: it reads no job (a finished one is parsed by each read).
            boolean holds = r != null && JobStateMachine.isOnAgent(r.status())
                            && agent.id().equals(r.job().getAgentId()) && r.job().getAttempt() == rj.getAttempt()
                            && !refused.containsKey(rj.getJobId());
            if (holds && endedOnAgent(rj)) {
                continue; // takes no slot: its end follows the Welcome
            }
            if (holds && slotsKept + r.slots() > agent.slots()) {
                // The agent came back smaller than the work it claims: keep what fits, stop the rest.
                refused.put(rj.getJobId(), "agent reports more running jobs than its " + agent.slots() + " slots");
                continue;
            }
            if (holds) {
                slotsKept += r.slots();
            }
            if (!holds && !refused.containsKey(rj.getJobId())) {
                refused.put(rj.getJobId(), r == null ? "unknown job" : JobStateMachine.isTerminal(r.status())
                        ? "job already " + r.status()
                        : "job belongs to attempt " + r.job().getAttempt() + " on agent "
                          + (r.job().getAgentId().isEmpty() ? "(none)" : r.job().getAgentId()));
            }
        }
        return refused;
    }

    /**
     * True for a job the agent lists as ended: one whose end it sent shortly before (the server may
     * have died before storing it) and sends again after the Welcome.
     */
    private static boolean endedOnAgent(RunningJob rj) {
        return rj.getStatus() == Job.Status.STOPPED || rj.getStatus() == Job.Status.FAILED;
    }

    /**
     * The agent said Hello: the jobs it still runs are given back to it; what it reports but does not
     * hold gets Stop (unless it ended there); what it held but no longer reports is lost (the restart
     * policy decides).
     */
    public void onAgentReturned(AgentRecord agent, List<RunningJob> running) {
        Map<String, String> refused = refusedRunningJobs(agent, running);
        Set<String> kept = new HashSet<>();
        for (RunningJob rj : running) {
            if (kept.contains(rj.getJobId())) {
                continue;
            }
            String why = refused.get(rj.getJobId());
            if (why != null && endedOnAgent(rj)) {
                continue; // nothing runs there to stop; the Welcome told the agent to forget it
            }
            if (why != null) {
                agent.session().send(ServerMessage.newBuilder().setStop(Stop.newBuilder()
                        .setJobId(rj.getJobId()).setAttempt(rj.getAttempt())
                        .setGrace(Durations.fromMillis(config.stopGrace().toMillis()))
                        .setCorrelationId(UUID.randomUUID().toString()).setReason(why)).build());
                log.info("event=running-job-refused agent={} job={} attempt={} reason=\"{}\"", agent.id(),
                         rj.getJobId(), rj.getAttempt(), why);
                continue;
            }
            JobRecord r = book.get(rj.getJobId());
            kept.add(r.id());
            agent.addJob(r.id(), r.slots());
            if (endedOnAgent(rj)) {
                // Its end comes as a JobUpdate right after the Welcome; until then the lost-after
                // or ack timer stays armed, in case it never does.
                continue;
            }
            r.cancelLostTimer();
            if (r.status() == Job.Status.UNKNOWN && r.job().getStopRequested()) {
                transition(r, Job.Status.STOPPING, b -> { });
                sendStop(r, agent);
                armStopTimers(r, config.stopGrace());
            } else if (r.status() == Job.Status.UNKNOWN || r.status() == Job.Status.ASSIGNED) {
                // ASSIGNED: the server restarted (or the session changed) before the ack reached it.
                r.cancelAckTimer();
                Job.Status resumed = switch (rj.getStatus()) {
                    case ACCEPTED, STARTING, RUNNING -> rj.getStatus();
                    default -> Job.Status.RUNNING;
                };
                transition(r, resumed, b -> b.setStatusReason(""));
                log.info("event=job-resumed job={} attempt={} agent={}", r.id(), r.job().getAttempt(), agent.id());
            } else if (r.status() == Job.Status.STOPPING) {
                sendStop(r, agent);
            }
        }
        for (String jobId : new ArrayList<>(agent.jobIds())) {
            if (kept.contains(jobId)) {
                continue;
            }
            if (placements.isReserved(jobId)) {
                placements.revoke(jobId); // placed at submit, not stored yet: re-placed once it is
                continue;
            }
            JobRecord r = book.get(jobId);
            if (r == null || !JobStateMachine.isOnAgent(r.status())) {
                agent.jobIds().remove(jobId);
                continue;
            }
            if (r.status() == Job.Status.ASSIGNED) {
                backToQueue(r, "agent " + agent.id() + " reconnected without acknowledging", false);
                continue;
            }
            agent.removeJob(jobId, r.slots());
            r.cancelLostTimer();
            if (r.status() == Job.Status.STOPPING) {
                end(r, Job.Status.STOPPED, "agent " + agent.id() + " reconnected without the job", null);
            } else {
                lost(r, "agent " + agent.id() + " reconnected without the job");
            }
        }
        fleet.publish(agent);
        schedulingRequest.run();
    }

    // ---- stop, kill ------------------------------------------------------------------------

    /** A user's stop: waiting jobs are CANCELED, held jobs get Stop, then Kill, then give up. */
    public Job stop(String jobId, String why) {
        JobRecord r = book.require(jobId);
        Job.Status status = r.status();
        if (JobStateMachine.isTerminal(status)) {
            throw BatonException.failedPrecondition("job %s is already %s; only a job that has not ended can be stopped",
                                                    jobId, status);
        }
        if (status == Job.Status.STOPPING) {
            return r.job();
        }
        if (status == Job.Status.ASSIGNED && r.assignUnsent) {
            // Its Assign waits for the store: it never reaches the agent.
            AgentRecord agent = fleet.get(r.job().getAgentId());
            if (agent != null) {
                agent.removeJob(r.id(), r.slots());
                fleet.publish(agent);
            }
            status = Job.Status.PENDING;
        }
        if (status == Job.Status.CREATED || status == Job.Status.PENDING) {
            end(r, Job.Status.CANCELED, why + " before it ran", null);
            schedulingRequest.run();
            return r.job();
        }
        beginStop(r, why);
        return r.job();
    }

    /** STOPPING, Stop{grace} to the agent, Kill after grace + kill-after, FAILED if it never confirms. */
    public void beginStop(JobRecord r, String why) {
        r.cancelAckTimer();
        if (r.status() == Job.Status.UNKNOWN) {
            // Its agent is away: remember the request; Stop goes out if it returns, else the
            // lost-after window ends the job.
            save(r, r.job().toBuilder().setStopRequested(true).setStatusReason(why + "; agent "
                    + r.job().getAgentId() + " is offline, Stop is sent if it returns").build());
            return;
        }
        transition(r, Job.Status.STOPPING, b -> b.setStopRequested(true).setStatusReason(why));
        AgentRecord agent = fleet.get(r.job().getAgentId());
        if (agent != null && agent.online()) {
            sendStop(r, agent);
            fleet.publish(agent);
        }
        armStopTimers(r, config.stopGrace());
        log.info("event=job-stopping job={} attempt={} agent={} reason=\"{}\"", r.id(), r.job().getAttempt(),
                 r.job().getAgentId(), why);
    }

    private void armStopTimers(JobRecord r, Duration grace) {
        r.cancelStopTimers();
        int attempt = r.job().getAttempt();
        Duration killAt = grace.plus(config.killAfter());
        r.killTimer = loop.schedule(killAt, () -> sendKill(r.id(), attempt));
        r.giveUpTimer = loop.schedule(killAt.plus(config.killAfter()), () -> giveUpStop(r.id(), attempt));
    }

    private void sendStop(JobRecord r, AgentRecord agent) {
        agent.session().send(ServerMessage.newBuilder().setStop(Stop.newBuilder()
                .setJobId(r.id()).setAttempt(r.job().getAttempt())
                .setGrace(Durations.fromMillis(config.stopGrace().toMillis()))
                .setCorrelationId(UUID.randomUUID().toString())
                .setReason(r.job().getStatusReason())).build());
    }

    private void sendKill(String jobId, int attempt) {
        JobRecord r = book.get(jobId);
        if (r == null || r.status() != Job.Status.STOPPING || r.job().getAttempt() != attempt) {
            return;
        }
        r.killTimer = null;
        AgentRecord agent = fleet.get(r.job().getAgentId());
        log.info("event=job-kill job={} attempt={} agent={}", jobId, attempt, r.job().getAgentId());
        if (agent != null && agent.online()) {
            agent.session().send(ServerMessage.newBuilder().setKill(Kill.newBuilder()
                    .setJobId(jobId).setAttempt(attempt).setCorrelationId(UUID.randomUUID().toString())).build());
        }
    }

    private void giveUpStop(String jobId, int attempt) {
        JobRecord r = book.get(jobId);
        if (r == null || r.status() != Job.Status.STOPPING || r.job().getAttempt() != attempt) {
            return;
        }
        r.giveUpTimer = null;
        AgentRecord agent = fleet.get(r.job().getAgentId());
        if (agent != null) {
            agent.removeJob(jobId, r.slots());
        }
        Duration waited = config.stopGrace().plus(config.killAfter()).plus(config.killAfter());
        end(r, Job.Status.FAILED, "agent " + r.job().getAgentId() + " did not confirm the stop within "
                                  + human(waited) + " (Stop, then Kill)", null);
        if (agent != null) {
            fleet.publish(agent);
        }
        schedulingRequest.run();
    }

    // ---- mute / unmute -------------------------------------------------------------------------

    /** Sends Mute or Unmute; the result completes when the agent acks (isMuted then changes). */
    public CompletableFuture<Job> mute(String jobId, boolean mute) {
        JobRecord r = book.require(jobId);
        String verb = mute ? "mute" : "unmute";
        if (r.status() != Job.Status.RUNNING && r.status() != Job.Status.STARTING && r.status() != Job.Status.ACCEPTED) {
            throw BatonException.failedPrecondition("cannot %s job %s: it is %s (expected: RUNNING)", verb, jobId,
                                                    r.status());
        }
        AgentRecord agent = fleet.get(r.job().getAgentId());
        if (agent == null || !agent.online()) {
            throw BatonException.failedPrecondition("cannot %s job %s: its agent %s is not connected", verb, jobId,
                                                    r.job().getAgentId());
        }
        String correlationId = UUID.randomUUID().toString();
        int attempt = r.job().getAttempt();
        CompletableFuture<Job> result = new CompletableFuture<>();
        TimeSource.Timer timer = loop.schedule(config.commandTimeout(), () -> {
            PendingCommand timedOut = pendingCommands.remove(correlationId);
            if (timedOut != null) {
                timedOut.result().completeExceptionally(BatonException.deadlineExceeded(
                        "agent %s did not acknowledge %s of job %s within %s; isMuted is unchanged",
                        agent.id(), verb, jobId, human(config.commandTimeout())));
            }
        });
        pendingCommands.put(correlationId, new PendingCommand(jobId, attempt, mute, result, timer));
        ServerMessage.Builder message = ServerMessage.newBuilder();
        if (mute) {
            message.setMute(Mute.newBuilder().setJobId(jobId).setAttempt(attempt).setCorrelationId(correlationId));
        } else {
            message.setUnmute(Unmute.newBuilder().setJobId(jobId).setAttempt(attempt).setCorrelationId(correlationId));
        }
        agent.session().send(message.build());
        return result;
    }

    /** An agent acknowledged a command; only mute/unmute acks change state. */
    public void onCommandAck(AgentRecord agent, CommandAck ack) {
        PendingCommand command = pendingCommands.remove(ack.getCorrelationId());
        if (command == null) {
            return;
        }
        command.timer().cancel();
        String verb = command.mute() ? "mute" : "unmute";
        if (!ack.getSuccess()) {
            command.result().completeExceptionally(BatonException.failedPrecondition(
                    "agent %s could not %s job %s: %s", agent.id(), verb, command.jobId(),
                    ack.getError().isEmpty() ? "no reason given" : ack.getError()));
            return;
        }
        JobRecord r = book.get(command.jobId());
        if (r == null) {
            command.result().completeExceptionally(BatonException.notFound("job", command.jobId()));
            return;
        }
        StreamMetadata metadata = r.job().getMetadata().toBuilder().setIsMuted(command.mute()).build();
        save(r, r.job().toBuilder().setMetadata(metadata).setUpdatedAt(ts(now())).build());
        log.info("event=job-{} job={} agent={}", verb, r.id(), agent.id());
        command.result().complete(r.job());
    }

    // ---- drain deadline ------------------------------------------------------------------------

    /** Stops every job still on a drained agent whose deadline passed. */
    public void drainDeadlineReached(AgentRecord agent) {
        for (String jobId : new ArrayList<>(agent.jobIds())) {
            JobRecord r = book.get(jobId);
            if (r != null && JobStateMachine.isOnAgent(r.status()) && r.status() != Job.Status.STOPPING) {
                beginStop(r, "agent " + agent.id() + " drain deadline reached");
            }
        }
    }

    static com.google.protobuf.Timestamp ts(Instant instant) {
        return Timestamps.fromMillis(instant.toEpochMilli());
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s < 120 || s % 60 != 0) {
            return s + "s";
        }
        return s / 60 + "m";
    }
}
