package dev.baton.server.jobs;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.baton.proto.v1.Job;
import dev.baton.server.time.TimeSource;

/** A job and its runtime timers. Owned by the control loop. */
public final class JobRecord {

    /** Creation order, for listing and FIFO within a priority. */
    final long sequence;
    Job job;
    TimeSource.Timer ackTimer;
    TimeSource.Timer waitTimer;
    TimeSource.Timer backoffTimer;
    TimeSource.Timer lostTimer;
    TimeSource.Timer killTimer;
    TimeSource.Timer giveUpTimer;
    /** The fleet version its waiting reason was computed at (-1: not yet). */
    long explainedAt = -1;
    /** Agents that let this job's ack time out or refused it, until when they are passed over. */
    final Map<String, Instant> avoidAgents = new HashMap<>();

    JobRecord(Job job, long sequence) {
        this.job = job;
        this.sequence = sequence;
    }

    public Job job() {
        return job;
    }

    public long sequence() {
        return sequence;
    }

    public String id() {
        return job.getId();
    }

    public Job.Status status() {
        return job.getStatus();
    }

    /** Slots the job takes on its agent (at least 1). */
    public int slots() {
        return Math.max(1, job.getRequirements().getSlots());
    }

    void cancelTimers() {
        cancelAckTimer();
        cancelWaitTimer();
        cancelStopTimers();
        cancelLostTimer();
        backoffTimer = cancel(backoffTimer);
    }

    void cancelAckTimer() {
        ackTimer = cancel(ackTimer);
    }

    void cancelWaitTimer() {
        waitTimer = cancel(waitTimer);
    }

    void cancelLostTimer() {
        lostTimer = cancel(lostTimer);
    }

    void cancelStopTimers() {
        killTimer = cancel(killTimer);
        giveUpTimer = cancel(giveUpTimer);
    }

    private static TimeSource.Timer cancel(TimeSource.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
        return null;
    }
}
