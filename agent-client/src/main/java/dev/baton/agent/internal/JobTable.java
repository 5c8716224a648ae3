package dev.baton.agent.internal;

import static dev.baton.agent.internal.AgentCore.log;

import dev.baton.agent.Assignment;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.AssignAck;
import dev.baton.proto.v1.CommandAck;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobUpdate;
import dev.baton.proto.v1.RunningJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * The jobs this agent holds, on the event loop: assignment, acks, and every status the server must
 * learn. A job's status and the status last sent may differ while no session is welcomed; the
 * next Welcome sends the difference, so an end that happened offline is still delivered. A job
 * leaves the table once its end has been sent, and is remembered for {@link #RECENT_END_RETENTION}
 * after that: the server stores ends a little after it reads them, so one that dies in between
 * learns the end again from the next Hello.
 */
final class JobTable {

    /** How long an end that was sent is listed again in a Hello (and sent again after the Welcome). */
    static final Duration RECENT_END_RETENTION = Duration.ofSeconds(30);
    /** At most this many are kept (the oldest go first), so a Hello stays far below the server's message limit. */
    static final int MAX_RECENT_ENDS = 10_000;

    private record RecentEnd(JobRun run, long sentAtNanos) {}

    private final AgentCore core;
    private final AgentSettings settings;
    private final Map<JobKey, JobRun> jobs = new LinkedHashMap<>();
    /** Ended jobs whose end was sent, oldest first, for {@link #RECENT_END_RETENTION}. */
    private final Map<JobKey, RecentEnd> recentEnds = new LinkedHashMap<>();

    JobTable(AgentCore core) {
        this.core = core;
        this.settings = core.settings;
    }

    int size() {
        return jobs.size();
    }

    boolean isEmpty() {
        return jobs.isEmpty();
    }

    /**
     * The jobs a Hello lists: every acknowledged one, one that ended unreported as the server last
     * knew it, and one whose end was sent in the last {@link #RECENT_END_RETENTION} with that end.
     */
    List<RunningJob> runningJobs() {
        List<RunningJob> running = new ArrayList<>();
        for (JobRun run : jobs.values()) {
            if (run.status == Job.Status.ASSIGNED) {
                continue; // not acknowledged yet: the server does not consider it ours
            }
            // Its end follows right after the Welcome, so the server sees every transition in order.
            Job.Status listed = isEnd(run.status) ? run.sentStatus : run.status;
            running.add(RunningJob.newBuilder().setJobId(run.key.jobId()).setAttempt(run.key.attempt())
                                  .setStatus(listed).build());
        }
        forgetOldEnds();
        for (RecentEnd end : recentEnds.values()) {
            if (find(end.run().key.jobId(), 0) == null) {
                running.add(RunningJob.newBuilder().setJobId(end.run().key.jobId())
                                      .setAttempt(end.run().key.attempt()).setStatus(end.run().status).build());
            }
        }
        return running;
    }

    /**
     * Drops ends older than the retention, and the oldest beyond {@link #MAX_RECENT_ENDS}; the map
     * is in the order they were sent, so the old ones lead.
     */
    private void forgetOldEnds() {
        long now = System.nanoTime();
        var oldestFirst = recentEnds.values().iterator();
        while (oldestFirst.hasNext()) {
            RecentEnd oldest = oldestFirst.next();
            if (recentEnds.size() <= MAX_RECENT_ENDS && now - oldest.sentAtNanos() <= RECENT_END_RETENTION.toNanos()) {
                return;
            }
            oldestFirst.remove();
        }
    }

    /** A new session was welcomed: drop what the server did not keep, send what it has not heard. */
    void onWelcome(Set<String> rejectedJobIds) {
        for (RecentEnd end : new ArrayList<>(recentEnds.values())) {
            if (rejectedJobIds.contains(end.run().key.jobId())) {
                recentEnds.remove(end.run().key); // the server has it
            } else if (find(end.run().key.jobId(), 0) == null) {
                sendUpdate(end.run(), Map.of()); // the server had lost it with a restart: say it again
            }
        }
        for (JobRun run : new ArrayList<>(jobs.values())) {
            if (rejectedJobIds.contains(run.key.jobId())) {
                dropRejected(run);
            } else if (run.status != run.sentStatus && run.status != Job.Status.ASSIGNED) {
                sendUpdate(run, Map.of());
            } else {
                flushLogs(run); // lines printed while disconnected
            }
        }
    }

    /** The server did not keep a job this agent listed; it also sends a Stop, but do not rely on it. */
    private void dropRejected(JobRun run) {
        if (isEnd(run.status)) {
            jobs.remove(run.key);
            log.info("server did not keep an ended job agent={} {} status={}", settings.agentId(), run,
                     run.status);
            return;
        }
        log.info("server did not keep a running job, stopping it agent={} {}", settings.agentId(), run);
        core.commands.requestStop(run, core.connection.stopGrace(), "the server did not keep the job", "");
    }

    void onAssign(Session from, Assign assign) {
        JobKey key = new JobKey(assign.getJobId(), assign.getAttempt());
        JobRun existing = jobs.get(key);
        if (existing != null) {
            // The server repeated an assignment this agent already holds: answer the same way.
            if (existing.status != Job.Status.ASSIGNED) {
                sendAck(from, key, true, "");
            }
            return;
        }
        if (core.departure.draining()) {
            reject(from, key, "agent " + settings.agentId() + " is draining");
            return;
        }
        long busy = liveCount();
        if (busy >= settings.slots()) {
            reject(from, key, "no free slot (" + busy + " of " + settings.slots() + " in use)");
            return;
        }
        JobRun run = new JobRun(core, Assignment.of(assign), from, new SerialExecutor(core.jobPool));
        jobs.put(key, run);
        log.debug("job assigned agent={} {}", settings.agentId(), run);
        try {
            core.jobPool.execute(() -> JobThread.run(core, settings.handler(), run));
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
        Session current = core.connection.welcomed();
        if (current != run.assignedIn) {
            // The ack cannot reach the server that offered the job; it will offer it again.
            jobs.remove(run.key);
            log.info("assignment dropped, its session ended agent={} {}", settings.agentId(), run);
            return false;
        }
        if (accepted && core.departure.draining()) {
            accepted = false;
            reason = "agent " + settings.agentId() + " is draining";
        }
        if (!accepted) {
            jobs.remove(run.key);
            reject(current, run.key, reason);
            core.departure.maybeFinish();
            return false;
        }
        sendAck(current, run.key, true, "");
        run.status = Job.Status.ACCEPTED;
        run.sentStatus = Job.Status.ACCEPTED;
        log.info("job accepted agent={} {}", settings.agentId(), run);
        return true;
    }

    private static void sendAck(Session to, JobKey key, boolean accepted, String reason) {
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
        core.departure.maybeFinish();
    }

    /** Sends the run's buffered output lines, if a welcomed session is up (else they wait, bounded). */
    void flushLogs(JobRun run) {
        Session current = core.connection.welcomed();
        if (jobs.get(run.key) == run && current != null) {
            run.logs.drain().forEach(current::send);
        }
    }

    /** Sends the run's current status if a welcomed session is up; otherwise the next Welcome will. */
    private void sendUpdate(JobRun run, Map<String, Double> progress) {
        Session current = core.connection.welcomed();
        if (current == null) {
            return;
        }
        // Output printed before a status change reaches the server before it.
        run.logs.drain().forEach(current::send);
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
            forgetOldEnds();
            recentEnds.putIfAbsent(run.key, new RecentEnd(run, System.nanoTime()));
        }
    }

    void sendCommandAck(String correlationId, boolean success, String error) {
        Session current = core.connection.welcomed();
        if (correlationId.isEmpty() || current == null) {
            return; // nothing to correlate, or the session that asked is gone
        }
        current.send(AgentMessage.newBuilder().setCommandAck(CommandAck.newBuilder()
                .setCorrelationId(correlationId).setSuccess(success).setError(error)).build());
    }

    /** The job under that id and attempt; attempt 0 matches any attempt of the job. */
    JobRun find(String jobId, int attempt) {
        if (attempt != 0) {
            return jobs.get(new JobKey(jobId, attempt));
        }
        return jobs.values().stream().filter(run -> run.key.jobId().equals(jobId)).findFirst()
                   .orElse(null);
    }

    long liveCount() {
        return jobs.values().stream().filter(run -> !isEnd(run.status)).count();
    }

    List<JobRun> live() {
        return jobs.values().stream().filter(run -> !isEnd(run.status)).toList();
    }

    static boolean isEnd(Job.Status status) {
        return status == Job.Status.STOPPED || status == Job.Status.FAILED;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }
}
