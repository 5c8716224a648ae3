package dev.baton.cli.jobs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.baton.cli.CliException;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Names;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Follows one job until it is RUNNING or has ended, reporting each status change. It watches the job
 * (WatchService with ids=[job]); the watch's snapshot carries the job's current state, so a change that
 * happened between submit and watch is not missed. A server without a watch service (UNIMPLEMENTED), or a watch
 * that ends early, is handled by polling GetJob instead.
 */
final class JobWaiter {

    private static final long POLL_INTERVAL_MILLIS = 250;

    private final ServerConnection server;
    private final Duration timeout;
    private final Consumer<Job> onChange;

    private Job last;

    JobWaiter(ServerConnection server, Duration timeout, Consumer<Job> onChange) {
        this.server = requireNonNull(server, "server");
        this.timeout = requireNonNull(timeout, "timeout");
        this.onChange = requireNonNull(onChange, "onChange");
    }

    /**
     * Waits from {@code submitted} on; returns the job as last seen (RUNNING or terminal). The submitted state
     * itself is reported only when {@code reportSubmitted} (a table already showed it in the submit line).
     */
    Job await(Job submitted, boolean reportSubmitted) {
        if (reportSubmitted) {
            observe(submitted);
        } else {
            last = submitted;
        }
        if (isDone(submitted)) {
            return submitted;
        }
        Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Job watched = watch(deadline);
            return watched != null ? watched : poll(deadline);
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNIMPLEMENTED) {
                return poll(deadline);
            }
            if (code == Status.Code.DEADLINE_EXCEEDED && deadline.isExpired()) {
                throw timedOut();
            }
            throw e;
        }
    }

    // Returns null when the stream ended without the job reaching a waited-for status.
    private Job watch(Deadline deadline) {
        WatchRequest request = WatchRequest.newBuilder()
                                           .addKinds(EntityKind.ENTITY_KIND_JOB)
                                           .addIds(last.getId())
                                           .build();
        Context.CancellableContext context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            Iterator<WatchEvent> events = server.watch().withDeadline(deadline).watch(request);
            while (events.hasNext()) {
                WatchEvent event = events.next();
                if (!event.hasJob() || !event.getJob().getId().equals(last.getId())) {
                    continue;
                }
                if (event.getType() == WatchEvent.Type.REMOVED) {
                    throw new CliException(ExitCodes.NOT_FOUND, "job " + last.getId() + " was removed while waiting");
                }
                observe(event.getJob());
                if (isDone(event.getJob())) {
                    return event.getJob();
                }
            }
            return null;
        } finally {
            context.detach(previous);
            // Ends the stream on the server too; we have what we came for.
            context.cancel(null);
        }
    }

    private Job poll(Deadline deadline) {
        GetJobRequest request = GetJobRequest.newBuilder().setId(last.getId()).build();
        while (true) {
            Job job = server.jobs().getJob(request);
            observe(job);
            if (isDone(job)) {
                return job;
            }
            long left = deadline.timeRemaining(TimeUnit.MILLISECONDS);
            if (left <= 0) {
                throw timedOut();
            }
            try {
                // A CLI may poll; there is no event to wait on when the server has no watch.
                Thread.sleep(Math.min(POLL_INTERVAL_MILLIS, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.SERVER_ERROR, "interrupted while waiting for job " + last.getId());
            }
        }
    }

    private void observe(Job job) {
        if (last == null || last.getStatus() != job.getStatus() || !last.getAgentId().equals(job.getAgentId())
            || last.getAttempt() != job.getAttempt()) {
            onChange.accept(job);
        }
        last = job;
    }

    private CliException timedOut() {
        String reason = JobViews.reason(last);
        return new CliException(ExitCodes.UNAVAILABLE,
                                "job " + last.getId() + " is still " + Names.of(last.getStatus()) + " after "
                                + timeout.toSeconds() + "s (--wait-timeout)" + (reason.isEmpty() ? "" : ": " + reason));
    }

    static boolean isDone(Job job) {
        return job.getStatus() == Job.Status.RUNNING || JobViews.isTerminal(job.getStatus());
    }
}
