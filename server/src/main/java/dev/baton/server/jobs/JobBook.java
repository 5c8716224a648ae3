package dev.baton.server.jobs;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.function.Predicate;

import dev.baton.proto.v1.Job;
import dev.baton.server.error.BatonException;
import dev.baton.server.store.FinishedJobs;

/**
 * Every job, in creation order, and the queue of jobs ready to be placed (higher priority first,
 * FIFO within a priority). Owned by the control loop.
 *
 * <p>Finished jobs loaded from the store stay unparsed ({@link UnreadFinishedJobs}) until something
 * reads them: a restart then costs the jobs still in flight, not the whole history. Every read
 * ({@link #get}, {@link #all}, {@link #after}) parses such a job and keeps it as a record from then
 * on, so callers never see the difference; counts by status include them from the start.
 */
public final class JobBook {

    private static final Comparator<JobRecord> PLACEMENT_ORDER =
            Comparator.<JobRecord>comparingInt(r -> -r.job.getPriority()).thenComparingLong(r -> r.sequence);

    private final Map<String, JobRecord> jobs = new HashMap<>();
    private final java.util.NavigableMap<Long, JobRecord> bySequence = new java.util.TreeMap<>();
    private final NavigableSet<JobRecord> ready = new TreeSet<>(PLACEMENT_ORDER);
    private final Map<Job.Status, Integer> counts = new HashMap<>();
    /** Jobs put in the queue since the scheduler last looked (it explains those even when nothing is free). */
    private final java.util.List<JobRecord> newlyReady = new java.util.ArrayList<>();
    private long nextSequence = 1;
    private UnreadFinishedJobs unread = new UnreadFinishedJobs(FinishedJobs.none());
    /** Where {@link #readUnread} goes on (every unread job before it was read). */
    private int unreadCursor;

    public long nextSequence() {
        return nextSequence++;
    }

    /** Keeps sequences unique after loading stored jobs. */
    public void sequenceAtLeast(long sequence) {
        nextSequence = Math.max(nextSequence, sequence + 1);
    }

    /** Adds the finished jobs read from the store at start-up, unparsed (once, before anything reads). */
    public void addUnread(FinishedJobs finished) {
        unread = new UnreadFinishedJobs(finished);
        unread.counts().forEach((status, n) -> counts.merge(status, n, Integer::sum));
        sequenceAtLeast(unread.lastSequence());
    }

    public JobRecord get(String id) {
        JobRecord record = jobs.get(id);
        if (record != null) {
            return record;
        }
        int index = unread.indexOf(id);
        return index < 0 ? null : read(index);
    }

    public JobRecord require(String id) {
        JobRecord record = get(id);
        if (record == null) {
            throw BatonException.notFound("job", id);
        }
        return record;
    }

    public Job.Status statusOf(String id) {
        JobRecord record = jobs.get(id);
        if (record != null) {
            return record.status();
        }
        int index = unread.indexOf(id);
        return index < 0 ? Job.Status.STATUS_UNSPECIFIED : unread.status(index);
    }

    /** Finished jobs loaded at start-up and not parsed yet. */
    public int unreadCount() {
        return unread.remaining();
    }

    /**
     * Parses up to {@code max} of the unread finished jobs, oldest first, and keeps them as records;
     * returns how many are still unread. Done a slice at a time after a start, so that the first
     * read of them all (an unfiltered watch snapshot, a label-filtered list) finds them parsed
     * instead of stalling the loop for every one of them at once.
     */
    public int readUnread(int max) {
        for (int n = 0; n < max; n++) {
            int index = unread.nextUnread(unreadCursor);
            if (index < 0) {
                break;
            }
            read(index);
            unreadCursor = index + 1;
        }
        return unread.remaining();
    }

    /** Parses unread job {@code index} and keeps it as a record (already counted). */
    private JobRecord read(int index) {
        JobRecord record = unread.take(index);
        jobs.put(record.id(), record);
        bySequence.put(record.sequence, record);
        return record;
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

    /** Every job in creation order (unread finished jobs are parsed as the iteration reaches them). */
    public Collection<JobRecord> all() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<JobRecord> iterator() {
                return new InOrder(0, status -> true);
            }

            @Override
            public int size() {
                return JobBook.this.size();
            }
        };
    }

    /** Jobs created after {@code sequence}, in creation order (pagination without a scan). */
    public Iterable<JobRecord> after(long sequence) {
        return after(sequence, status -> true);
    }

    /**
     * Like {@link #after(long)}, passing over unread finished jobs whose status {@code wanted}
     * rejects without parsing them (the caller filters parsed records itself).
     */
    public Iterable<JobRecord> after(long sequence, Predicate<Job.Status> wanted) {
        return () -> new InOrder(sequence, wanted);
    }

    public Map<Job.Status, Integer> countsByStatus() {
        return counts;
    }

    public int size() {
        return jobs.size() + unread.remaining();
    }

    /**
     * Records and unread jobs merged by sequence. Reading an unread job adds it to {@link #bySequence}
     * behind the cursor, so the walk asks the map for the next key each step instead of holding an
     * iterator that the insertion would invalidate.
     */
    private final class InOrder implements Iterator<JobRecord> {
        private final Predicate<Job.Status> wanted;
        private long cursor;
        private JobRecord next;

        InOrder(long after, Predicate<Job.Status> wanted) {
            this.cursor = after;
            this.wanted = wanted;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = advance();
            }
            return next != null;
        }

        @Override
        public JobRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            JobRecord result = next;
            next = null;
            return result;
        }

        private JobRecord advance() {
            Map.Entry<Long, JobRecord> record = bySequence.higherEntry(cursor);
            int index = unread.firstAfter(cursor);
            while (index >= 0 && !wanted.test(unread.status(index))
                   && (record == null || unread.sequence(index) < record.getKey())) {
                index = unread.nextUnread(index + 1);
            }
            if (index >= 0 && (record == null || unread.sequence(index) < record.getKey())) {
                cursor = unread.sequence(index);
                return read(index);
            }
            if (record == null) {
                return null;
            }
            cursor = record.getKey();
            return record.getValue();
        }
    }
}
