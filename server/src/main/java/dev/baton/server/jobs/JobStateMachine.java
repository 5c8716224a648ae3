package dev.baton.server.jobs;

import static dev.baton.proto.v1.Job.Status.ACCEPTED;
import static dev.baton.proto.v1.Job.Status.ASSIGNED;
import static dev.baton.proto.v1.Job.Status.CANCELED;
import static dev.baton.proto.v1.Job.Status.CREATED;
import static dev.baton.proto.v1.Job.Status.FAILED;
import static dev.baton.proto.v1.Job.Status.PENDING;
import static dev.baton.proto.v1.Job.Status.RUNNING;
import static dev.baton.proto.v1.Job.Status.STARTING;
import static dev.baton.proto.v1.Job.Status.STOPPED;
import static dev.baton.proto.v1.Job.Status.STOPPING;
import static dev.baton.proto.v1.Job.Status.UNKNOWN;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.baton.proto.v1.Job;

/**
 * The one table of legal job transitions. Every status change goes through {@link #check}; an
 * illegal one is refused (and logged by the caller), never applied.
 */
public final class JobStateMachine {

    private static final Map<Job.Status, Set<Job.Status>> ALLOWED = new EnumMap<>(Job.Status.class);

    static {
        allow(CREATED, PENDING, CANCELED, FAILED);
        // PENDING -> FAILED: the wait timeout ran out.
        allow(PENDING, ASSIGNED, CANCELED, FAILED);
        // ASSIGNED -> PENDING: no ack in time, the agent refused, or it was lost before acking.
        // ASSIGNED -> STARTING/RUNNING: an agent that reports progress without an explicit ack.
        allow(ASSIGNED, ACCEPTED, STARTING, RUNNING, PENDING, STOPPING, STOPPED, FAILED, CANCELED, UNKNOWN);
        allow(ACCEPTED, STARTING, RUNNING, STOPPING, STOPPED, FAILED, UNKNOWN, PENDING);
        allow(STARTING, RUNNING, STOPPING, STOPPED, FAILED, UNKNOWN, PENDING);
        allow(RUNNING, STOPPING, STOPPED, FAILED, UNKNOWN, PENDING);
        allow(STOPPING, STOPPED, FAILED, UNKNOWN);
        // UNKNOWN -> back to what the returning agent reports, or the restart policy decides.
        allow(UNKNOWN, ACCEPTED, STARTING, RUNNING, STOPPING, STOPPED, FAILED, PENDING);
        allow(STOPPED);
        allow(FAILED);
        allow(CANCELED);
    }

    private JobStateMachine() {}

    private static void allow(Job.Status from, Job.Status... to) {
        Set<Job.Status> targets = EnumSet.noneOf(Job.Status.class);
        targets.addAll(java.util.List.of(to));
        ALLOWED.put(from, targets);
    }

    /** True when {@code from -> to} is in the table. */
    public static boolean isAllowed(Job.Status from, Job.Status to) {
        Set<Job.Status> targets = ALLOWED.get(from);
        return targets != null && targets.contains(to);
    }

    /** Throws {@link IllegalTransitionException} unless {@code from -> to} is legal. */
    public static void check(String jobId, Job.Status from, Job.Status to) {
        if (!isAllowed(from, to)) {
            throw new IllegalTransitionException(jobId, from, to);
        }
    }

    /** STOPPED, FAILED and CANCELED: nothing happens to the job any more. */
    public static boolean isTerminal(Job.Status status) {
        return status == STOPPED || status == FAILED || status == CANCELED;
    }

    /** Statuses in which the job is held by an agent. */
    public static boolean isOnAgent(Job.Status status) {
        return status == ASSIGNED || status == ACCEPTED || status == STARTING || status == RUNNING
               || status == STOPPING || status == UNKNOWN;
    }

    /** Thrown for a transition the table does not allow. */
    public static final class IllegalTransitionException extends IllegalStateException {
        IllegalTransitionException(String jobId, Job.Status from, Job.Status to) {
            super("job " + jobId + ": illegal transition " + from + " -> " + to);
        }
    }
}
