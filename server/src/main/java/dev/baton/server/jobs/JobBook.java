package dev.baton.server.jobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;

import dev.baton.proto.v1.Job;
import dev.baton.server.error.BatonException;
import dev.baton.server.store.FinishedJobs;

/**
 * Every job, in creation order, and the queue of jobs ready to be placed (higher priority first,
 * FIFO within a priority). Owned by the control loop.
 *
 * <p>Finished jobs are held packed ({@link JobRecord}): those loaded at start-up from their stored
 * bytes, and those that end while the server runs once the command that ended them is over (that
 * command often changes the job again: the attempt's reason, the agent's slots). A packed job is
 * parsed by every read and the parsed job is not kept, so the book's memory stays one small record
 * per finished job. Status filters and counts use the record's status and parse nothing.
 */
public final class JobBook {

    private static final Comparator<JobRecord> PLACEMENT_ORDER =
            Comparator.<JobRecord>comparingInt(r -> -r.job().getPriority()).thenComparingLong(r -> r.sequence);

    // Not final: an empty book takes the maps of a FinishedIndex made off the loop at start-up.
    private Map<String, JobRecord> jobs = new HashMap<>();
    private NavigableMap<Long, JobRecord> bySequence = new TreeMap<>();
    private final NavigableSet<JobRecord> ready = new TreeSet<>(PLACEMENT_ORDER);
    private final Map<Job.Status, Integer> counts = new HashMap<>();
    /** Jobs put in the queue since the scheduler last looked (it explains those even when nothing is free). */
    private final List<JobRecord> newlyReady = new ArrayList<>();
    /** Jobs that ended in the current command, packed by the next one. */
    private final List<JobRecord> ended = new ArrayList<>();
    /** Runs the packing after the current command (the control loop; at once for a book without one). */
    private final Executor afterCommand;
    private long nextSequence = 1;

    /** A book that packs a job as soon as it ends (tests of the book alone). */
    public JobBook() {
        this(Runnable::run);
    }

    /** A book that packs ended jobs in a command run by {@code afterCommand} (the control loop's execute). */
    public JobBook(Executor afterCommand) {
        this.afterCommand = afterCommand;
    }

    public long nextSequence() {
        return nextSequence++;
    }

    /** Keeps sequences unique after loading stored jobs. */
    public void sequenceAtLeast(long sequence) {
        nextSequence = Math.max(nextSequence, sequence + 1);
    }

    /**
     * Adds the finished jobs read from the store at start-up, packed as they were stored, from
     * {@code index}. An empty book (the start-up case) takes the index's maps as they are, so the loop
     * does no per-job work; any other book adds them one by one.
     */
    public void addFinished(FinishedIndex index) {
        index.claim();
        if (jobs.isEmpty()) {
            jobs = index.byId;
            bySequence = index.bySequence;
            index.counts.forEach((status, count) -> counts.merge(status, count, Integer::sum));
        } else {
            index.bySequence.values().forEach(this::put);
        }
        sequenceAtLeast(index.lastSequence);
    }

    /**
     * The finished jobs read at start-up, packed and keyed as a book keeps them. Made by
     * {@link #index} on any thread (the server makes it on the thread that reads the store, beside
     * the API's start): filling the book's maps with 100,000 records took about a third of a second
     * of the control loop's recovery. An index is added to one book, once.
     */
    public static final class FinishedIndex {
        private final Map<String, JobRecord> byId;
        private final NavigableMap<Long, JobRecord> bySequence = new TreeMap<>();
        private final Map<Job.Status, Integer> counts = new HashMap<>();
        private long lastSequence;
        private boolean claimed;

        private FinishedIndex(int size) {
            byId = new HashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
        }

        private synchronized void claim() {
            if (claimed) {
                throw new IllegalStateException("a finished-job index is added to one book only");
            }
            claimed = true;
        }
    }

    /** Packs and keys {@code finished} for {@link #addFinished(FinishedIndex)}; touches no book, so any thread may call it. */
    public static FinishedIndex index(FinishedJobs finished) {
        FinishedIndex index = new FinishedIndex(finished.size());
        for (int i = 0; i < finished.size(); i++) {
            JobRecord record = JobRecord.packed(finished.id(i), finished.sequence(i), finished.status(i), finished.row(i));
            file(record, index.byId, index.bySequence, index.counts);
            index.lastSequence = Math.max(index.lastSequence, record.sequence);
        }
        return index;
    }

    public JobRecord get(String id) {
        return jobs.get(id);
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
        return record == null ? Job.Status.STATUS_UNSPECIFIED : record.status();
    }

    public void add(JobRecord record) {
        put(record);
        if (JobStateMachine.isTerminal(record.status())) {
            packAfterCommand(record);
        }
    }

    private void put(JobRecord record) {
        file(record, jobs, bySequence, counts);
    }

    /** Files {@code record} by id, by sequence and in the counts (the book's maps, or an index's). */
    private static void file(JobRecord record, Map<String, JobRecord> byId, NavigableMap<Long, JobRecord> bySequence,
                             Map<Job.Status, Integer> counts) {
        byId.put(record.id(), record);
        bySequence.put(record.sequence, record);
        counts.merge(record.status(), 1, Integer::sum);
    }

    /** Replaces a job's snapshot, keeping the ready queue and counts consistent; a packed job becomes live. */
    void update(JobRecord record, Job next) {
        boolean wasReady = ready.remove(record);
        counts.merge(record.status(), -1, Integer::sum);
        record.set(next);
        counts.merge(next.getStatus(), 1, Integer::sum);
        if (wasReady && next.getStatus() == Job.Status.PENDING) {
            ready.add(record);
        }
        if (JobStateMachine.isTerminal(next.getStatus())) {
            packAfterCommand(record);
        }
    }

    private void packAfterCommand(JobRecord record) {
        ended.add(record);
        if (ended.size() == 1) {
            afterCommand.execute(this::packEnded);
        }
    }

    /** Packs the jobs that ended and stayed ended with no timer armed (a record listed twice packs once). */
    private void packEnded() {
        for (JobRecord record : ended) {
            if (record.isSettled()) {
                record.pack();
            }
        }
        ended.clear();
    }

    /** Whether job {@code id} is held packed (tests). */
    boolean isPacked(String id) {
        JobRecord record = jobs.get(id);
        return record != null && record.isPacked();
    }

    /** Puts a PENDING job in the placement queue. */
    void markReady(JobRecord record) {
        ready.add(record);
        newlyReady.add(record);
    }

    /** The jobs queued since the last call (some may have left the queue since). */
    List<JobRecord> takeNewlyReady() {
        List<JobRecord> taken = new ArrayList<>(newlyReady);
        newlyReady.clear();
        return taken;
    }

    void unmarkReady(JobRecord record) {
        ready.remove(record);
    }

    public NavigableSet<JobRecord> ready() {
        return ready;
    }

    /** Every job in creation order (a packed job is parsed only when its {@link JobRecord#job()} is read). */
    public Collection<JobRecord> all() {
        return Collections.unmodifiableCollection(bySequence.values());
    }

    /** Jobs created after {@code sequence}, in creation order (pagination without a scan). */
    public Collection<JobRecord> after(long sequence) {
        return Collections.unmodifiableCollection(bySequence.tailMap(sequence, false).values());
    }

    public Map<Job.Status, Integer> countsByStatus() {
        return counts;
    }

    public int size() {
        return jobs.size();
    }
}
