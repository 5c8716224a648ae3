package dev.baton.server.webhooks;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.jobs.JobStateMachine;
import dev.baton.server.store.StoredState;
import dev.baton.server.watch.WatchHub;

/**
 * Turns the watch feed into job status changes for webhooks. Runs on the control loop, so it only
 * compares a status with the last one seen and hands a change over; nothing here waits. Jobs leave
 * the map when they end, so it holds only live jobs.
 */
final class JobEventTap implements WatchHub.Watcher {

    /** A job that entered a new status, at watch revision {@code revision}. */
    record JobStatusChange(long revision, Instant time, Job job) {}

    private final Map<String, Job.Status> lastStatus = new HashMap<>();
    private final Predicate<Job> wanted;
    private final Consumer<JobStatusChange> sink;

    /**
     * @param wanted asked on the control loop whether anyone could want a change of this job (cheap)
     * @param sink   receives the changes; must only hand them to another thread
     */
    JobEventTap(Predicate<Job> wanted, Consumer<JobStatusChange> sink) {
        this.wanted = wanted;
        this.sink = sink;
    }

    /** The statuses of the jobs that were live when the server stopped (they publish no ADDED again). */
    void seed(List<StoredState.StoredJob> jobs) {
        for (StoredState.StoredJob stored : jobs) {
            if (!JobStateMachine.isTerminal(stored.job().getStatus())) {
                lastStatus.put(stored.job().getId(), stored.job().getStatus());
            }
        }
    }

    @Override
    public boolean offer(WatchEvent event) {
        if (event.getKind() != EntityKind.ENTITY_KIND_JOB
            || (event.getType() != WatchEvent.Type.ADDED && event.getType() != WatchEvent.Type.UPDATED)) {
            return true;
        }
        Job job = event.getJob();
        Job.Status status = job.getStatus();
        Job.Status previous = JobStateMachine.isTerminal(status)
                ? lastStatus.remove(job.getId()) : lastStatus.put(job.getId(), status);
        boolean entered = JobStateMachine.isTerminal(status) ? previous != null : previous != status;
        if (entered && wanted.test(job)) {
            sink.accept(new JobStatusChange(event.getRevision(),
                                            Instant.ofEpochMilli(Timestamps.toMillis(event.getTime())), job));
        }
        return true;
    }

    @Override
    public void overflowed(long lastDeliveredRevision) {
        // offer never refuses, so the hub never cuts this watcher off.
    }
}
