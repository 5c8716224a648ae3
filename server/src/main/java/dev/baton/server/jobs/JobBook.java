package dev.baton.server.jobs;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

import dev.baton.proto.v1.Job;
import dev.baton.server.error.BatonException;

/**
 * Every job, in creation order, and the queue of jobs ready to be placed (higher priority first,
 * FIFO within a priority). Owned by the control loop.
 */
public final class JobBook {

    private static final Comparator<JobRecord> PLACEMENT_ORDER =
            Comparator.<JobRecord>comparingInt(r -> -r.job.getPriority()).thenComparingLong(r -> r.sequence);

    private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
    private final java.util.NavigableMap<Long, JobRecord> bySequence = new java.util.TreeMap<>();
    private final NavigableSet<JobRecord> ready = new TreeSet<>(PLACEMENT_ORDER);
    private final Map<Job.Status, Integer> counts = new HashMap<>();
    /** Jobs put in the queue since the scheduler last looked (it explains those even when nothing is free). */
    private final java.util.List<JobRecord> newlyReady = new java.util.ArrayList<>();
    private long nextSequence = 1;

    public long nextSequence() {
        return nextSequence++;
    }

    /** Keeps sequences unique after loading stored jobs. */
    public void sequenceAtLeast(long sequence) {
        nextSequence = Math.max(nextSequence, sequence + 1);
    }

    public JobRecord get(String id) {
        return jobs.get(id);
    }

    public JobRecord require(String id) {
        JobRecord record = jobs.get(id);
        if (record == null) {
            throw BatonException.notFound("job", id);
        }
        return record;
    }

    public Job.Status statusOf(String id) {
        JobRecord record = jobs.get(id);
        return record == null ? Job.Status.STATUS_UNSPECIFIED : record.status();
    }

    public void add(JobRecord record) {
        jobs.put(record.id(), record);
        bySequence.put(record.sequence, record);
        counts.merge(record.status(), 1, Integer::sum);
    }

    /** Replaces a job's snapshot, keeping the ready queue and counts consistent. */
    void update(JobRecord record, Job next) {
        boolean wasReady = ready.remove(record);
        counts.merge(record.status(), -1, Integer::sum);
        record.job = next;
        counts.merge(next.getStatus(), 1, Integer::sum);
        if (wasReady && next.getStatus() == Job.Status.PENDING) {
            ready.add(record);
        }
    }

    /** Puts a PENDING job in the placement queue. */
    void markReady(JobRecord record) {
        ready.add(record);
        newlyReady.add(record);
    }

    /** The jobs queued since the last call (some may have left the queue since). */
    java.util.List<JobRecord> takeNewlyReady() {
        java.util.List<JobRecord> taken = new java.util.ArrayList<>(newlyReady);
        newlyReady.clear();
        return taken;
    }

    void unmarkReady(JobRecord record) {
        ready.remove(record);
    }

    public NavigableSet<JobRecord> ready() {
        return ready;
    }

    public Collection<JobRecord> all() {
        return jobs.values();
    }

    /** Jobs created after {@code sequence}, in creation order (pagination without a scan). */
    public Collection<JobRecord> after(long sequence) {
        return bySequence.tailMap(sequence, false).values();
    }

    public Map<Job.Status, Integer> countsByStatus() {
        return counts;
    }

    public int size() {
        return jobs.size();
    }
}
