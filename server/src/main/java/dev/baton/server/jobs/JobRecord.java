package dev.baton.server.jobs;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.baton.proto.v1.Job;
import dev.baton.server.time.TimeSource;

/**
 * A job and its runtime timers. Owned by the control loop.
 *
 * <p>A finished job is held packed: its id, status and serialized bytes instead of the Job's object
 * graph (about fifty objects: timestamps, attempts, labels, config values). The book keeps every
 * job for ever and a young collection copies whatever survives, so at a thousand jobs a second the
 * graphs of finished jobs were most of the GC's work. {@link #job()} parses a packed job on every
 * call and keeps nothing; a caller that needs it twice holds on to the result.
 */
public final class JobRecord {

    /** Creation order, for listing and FIFO within a priority. */
    final long sequence;
    private final String id;
    private Job.Status status;
    /** The job while it is live; null while packed. */
    private Job job;
    /** The job's serialized bytes while packed; null while live. */
    private byte[] packed;
    TimeSource.Timer ackTimer;
    TimeSource.Timer waitTimer;
    TimeSource.Timer backoffTimer;
    TimeSource.Timer lostTimer;
    TimeSource.Timer killTimer;
    TimeSource.Timer giveUpTimer;
    /** True while the Assign of the current attempt waits for its ASSIGNED snapshot to be committed. */
    boolean assignUnsent;
    /** The fleet version its waiting reason was computed at (-1: not yet). */
    long explainedAt = -1;
    /** Agents that let this job's ack time out or refused it, until when they are passed over; null: none yet. */
    private Map<String, Instant> avoidAgents;

    JobRecord(Job job, long sequence) {
        this.id = job.getId();
        this.sequence = sequence;
        set(job);
    }

    private JobRecord(String id, long sequence, Job.Status status, byte[] packed) {
        this.id = id;
        this.sequence = sequence;
        this.status = status;
        this.packed = packed;
    }

    /** A finished job as stored, left packed (its bytes are parsed when something reads it). */
    static JobRecord packed(String id, long sequence, Job.Status status, byte[] bytes) {
        return new JobRecord(id, sequence, status, bytes);
    }

    /** The job; parsed anew on each call while packed. */
    public Job job() {
        if (job != null) {
            return job;
        }
        try {
            return Job.parseFrom(packed);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("packed job " + id + " does not parse: " + e.getMessage(), e);
        }
    }

    public long sequence() {
        return sequence;
    }

    public String id() {
        return id;
    }

    public Job.Status status() {
        return status;
    }

    /** Slots the job takes on its agent (at least 1). */
    public int slots() {
        return Math.max(1, job().getRequirements().getSlots());
    }

    /** Replaces the snapshot; a packed record becomes live again. */
    void set(Job next) {
        job = next;
        status = next.getStatus();
        packed = null;
    }

    boolean isPacked() {
        return packed != null;
    }

    /** The serialized job while it is held packed, else null (for writers that can use it as it is; do not change it). */
    public byte[] packedBytes() {
        return packed;
    }

    /** True when nothing will change the job on its own any more: it ended and no timer is armed. */
    boolean isSettled() {
        return JobStateMachine.isTerminal(status) && ackTimer == null && waitTimer == null && backoffTimer == null
               && lostTimer == null && killTimer == null && giveUpTimer == null;
    }

    /** Serializes the job and drops its object graph (see the class comment). */
    void pack() {
        if (job != null) {
            packed = job.toByteArray();
            job = null;
            avoidAgents = null;
        }
    }

    /** Until when {@code agentId} is passed over for this job, or null. */
    Instant avoidedUntil(String agentId) {
        return avoidAgents == null ? null : avoidAgents.get(agentId);
    }

    void avoid(String agentId, Instant until) {
        if (avoidAgents == null) {
            avoidAgents = new HashMap<>();
        }
        avoidAgents.put(agentId, until);
    }

    /** The agents passed over for this job after {@code now}, with until when; empty when none. */
    Map<String, Instant> avoidedAfter(Instant now) {
        if (avoidAgents == null) {
            return Map.of();
        }
        Map<String, Instant> current = new TreeMap<>();
        avoidAgents.forEach((agent, until) -> {
            if (until.isAfter(now)) {
                current.put(agent, until);
            }
        });
        return current;
    }

    void stopAvoiding(String agentId) {
        if (avoidAgents != null) {
            avoidAgents.remove(agentId);
        }
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
