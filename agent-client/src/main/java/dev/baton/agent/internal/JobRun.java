package dev.baton.agent.internal;

import dev.baton.agent.Assignment;
import dev.baton.agent.JobContext;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.LogStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One job attempt on this agent. The status fields are owned by the agent's event loop; the
 * {@link JobContext} methods may be called from any thread and only post reports to the loop.
 */
final class JobRun implements JobContext {

    /** Lines printed within this delay go out in one message. */
    private static final Duration LOG_BATCH_DELAY = Duration.ofMillis(100);

    private final AgentCore core;
    private final Assignment assignment;
    final JobKey key;
    /** The session whose Assign created this run; its ack must go out on that same session. */
    final Session assignedIn;
    /** Stop, mute and unmute of this job run here one at a time, in the server's order. */
    final Executor commandLane;
    /** The job's output on its way to the server. */
    final JobLogBuffer logs;

    // Owned by the event loop.
    Job.Status status = Job.Status.ASSIGNED;
    Job.Status sentStatus = Job.Status.STATUS_UNSPECIFIED;
    String error = "";
    Integer exitCode;
    boolean killRequested;

    // Shared with job threads.
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile boolean muted;
    private volatile boolean runningReported;
    private Thread runThread; // guarded by this

    JobRun(AgentCore core, Assignment assignment, Session assignedIn, Executor commandLane) {
        this.core = core;
        this.assignment = assignment;
        this.key = new JobKey(assignment.jobId(), assignment.attempt());
        this.assignedIn = assignedIn;
        this.commandLane = commandLane;
        this.logs = new JobLogBuffer(assignment.jobId(), assignment.attempt());
    }

    @Override
    public Assignment assignment() {
        return assignment;
    }

    @Override
    public void starting() {
        report(Job.Status.STARTING);
    }

    @Override
    public void running() {
        runningReported = true;
        report(Job.Status.RUNNING);
    }

    private void report(Job.Status next) {
        if (!ended.get()) {
            core.post(() -> core.jobs.onStatus(this, next));
        }
    }

    @Override
    public void progress(Map<String, Double> gauges) {
        Map<String, Double> copy = Map.copyOf(gauges);
        if (!ended.get()) {
            core.post(() -> core.jobs.onProgress(this, copy));
        }
    }

    @Override
    public void log(LogStream stream, byte[] line) {
        if (stream != LogStream.LOG_STREAM_STDOUT && stream != LogStream.LOG_STREAM_STDERR) {
            throw new IllegalArgumentException("stream: " + stream + " (expected: LOG_STREAM_STDOUT or LOG_STREAM_STDERR)");
        }
        if (ended.get()) {
            return;
        }
        switch (logs.add(stream, java.util.Objects.requireNonNull(line, "line"))) {
            case FLUSH_NOW -> core.post(() -> core.jobs.flushLogs(this));
            case SCHEDULE_FLUSH -> core.after(LOG_BATCH_DELAY, () -> core.jobs.flushLogs(this));
            case NOTHING -> { }
        }
    }

    @Override
    public void stopped() {
        end(Job.Status.STOPPED, "", null);
    }

    @Override
    public void stopped(int exitCode) {
        end(Job.Status.STOPPED, "", exitCode);
    }

    @Override
    public void failed(String error) {
        end(Job.Status.FAILED, error, null);
    }

    @Override
    public void failed(String error, int exitCode) {
        end(Job.Status.FAILED, error, exitCode);
    }

    private void end(Job.Status last, String why, Integer code) {
        if (ended.compareAndSet(false, true)) {
            String error = why == null ? "" : why;
            core.post(() -> core.jobs.onEnd(this, last, error, code));
        }
    }

    @Override
    public boolean stopRequested() {
        return stopRequested;
    }

    void requestStop() {
        stopRequested = true;
    }

    @Override
    public boolean muted() {
        return muted;
    }

    void muted(boolean muted) {
        this.muted = muted;
    }

    @Override
    public boolean ended() {
        return ended.get();
    }

    boolean runningReported() {
        return runningReported;
    }

    @Override
    public synchronized void interrupt() {
        if (runThread != null) {
            runThread.interrupt();
        }
    }

    /** Claims the current thread for {@code run}; false when a stop came first (do not run). */
    synchronized boolean beginRun() {
        if (stopRequested) {
            return false;
        }
        runThread = Thread.currentThread();
        return true;
    }

    /** Releases the thread, so a late interrupt cannot hit the pool's next task. */
    void endRun() {
        synchronized (this) {
            runThread = null;
        }
        Thread.interrupted();
    }

    @Override
    public String toString() {
        return "job=" + key.jobId() + " attempt=" + key.attempt();
    }
}
