package dev.baton.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.server.error.BatonException;

/**
 * A store on one JDBC connection with group commit: one writer thread commits whatever has queued
 * up in one transaction, so the cost of a durable commit (an fsync, a round trip) is shared by
 * every write in it. A write's future completes only once its transaction committed; a failed
 * transaction is rolled back whole and fails every write in it. The SQL lives in
 * {@link StoreTables} and {@link StoreSchema}; subclasses open the connection and may defer the
 * sync of write-behind batches ({@link #beforeBatch}, {@link #syncWriteBehind}).
 */
abstract class JdbcStore implements BatonStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);
    /**
     * Writes handed over together that one transaction takes at most. Large, because an assignment
     * waits for its commit before the agent is told: under a flood of submits, with 1,000 it waited
     * behind many commits, and dispatch at 5,000 submits/s offered fell to 385 RUNNING/s; with 10,000
     * it was 537–737/s (docs/benchmarks.md, session 7).
     */
    private static final int MAX_BATCH = 10_000;
    /** How long a committed write-behind batch may stay unsynced when no durable write follows it. */
    static final Duration WRITE_BEHIND_SYNC = Duration.ofMillis(20);
    /**
     * How long write-behind writes wait in the queue for a durable write to share its commit with:
     * committing them on their own would not delay an acknowledged write, but every extra commit
     * rewrites the same table and index pages into the WAL (and brings the next checkpoint closer).
     */
    static final Duration WRITE_BEHIND_COALESCE = Duration.ofMillis(5);
    /** How soon a write-behind sync that could not run is tried again. */
    private static final Duration SYNC_RETRY = Duration.ofMillis(1);

    /** Opens a configured connection (auto-commit off). */
    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** How soon a write is wanted: see {@link BatonStore#write}, {@link BatonStore#writeCommitted}, {@link BatonStore#writeBehind}. */
    private enum Urgency {
        /** Committed and synced before its future completes. */
        DURABLE,
        /** Committed at once (no waiting for company), synced later like write-behind. */
        COMMITTED,
        /** May wait a little to share a durable commit; synced later. */
        BEHIND
    }

    /** Writes handed over together. */
    private record Pending(List<StoreWrite> writes, Urgency urgency, CompletableFuture<Void> done) {
        boolean durable() {
            return urgency == Urgency.DURABLE;
        }
    }

    private static final Pending STOP = new Pending(List.of(), Urgency.DURABLE, new CompletableFuture<>());

    private final ConnectionSource source;
    private final String where;
    private final Object lock = new Object();
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Prepared once per connection, used under {@link #lock} only. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Thread writer;
    private Connection connection;
    private volatile boolean closing;
    private volatile String problem;
    /** Whether write-behind batches were committed and not yet synced, since when (writer thread only). */
    private boolean unsynced;
    private long unsyncedSince;
    /** Writes handed over and not yet committed or failed. */
    private final AtomicInteger queuedWrites = new AtomicInteger();
    /** Write-behind syncs done because no durable commit came in time (tests read it). */
    private final AtomicLong writeBehindSyncs = new AtomicLong();

    /**
     * @param where names the store in errors ("in ./data", "at jdbc:postgresql://...")
     * @param serializeMigrations SQL run first in each migration transaction; null when not needed
     */
    JdbcStore(SqlDialect dialect, ConnectionSource source, String where, String serializeMigrations) {
        this.source = source;
        this.where = where;
        try {
            connection = source.open();
            StoreSchema.migrate(connection, dialect, serializeMigrations);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("cannot open the store " + where + ": " + e.getMessage(), e);
        }
        writer = new Thread(this::writeLoop, "baton-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** A unit of work on the store's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in its own transaction, between write batches; commits when it returns. */
    protected <T> T transaction(Work<T> work) throws SQLException {
        synchronized (lock) {
            try {
                T result = work.run(connection());
                connection.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly();
                broken(e);
                throw e;
            }
        }
    }

    /** Runs inside every write transaction before it commits; throwing rolls the whole batch back. */
    protected void beforeCommit(Connection connection) throws SQLException {}

    /**
     * Runs before a batch is applied. {@code durable} is false when every write in it is
     * write-behind: a store may then commit without waiting for the disk, as long as
     * {@link #syncWriteBehind} (or the next durable commit) makes it durable later, in order.
     * By default every commit is durable.
     */
    protected void beforeBatch(Connection connection, boolean durable) throws SQLException {}

    /**
     * Makes every committed write-behind batch durable; called when no durable commit did it in time.
     * False when it could not now (the writer tries again shortly).
     */
    protected boolean syncWriteBehind(Connection connection) throws SQLException {
        return true;
    }

    /** Runs on the writer thread after each successful commit; a failure is logged, the commit stands. */
    protected void afterCommit(Connection connection) throws SQLException {}

    @Override
    public StoredState load() {
        try {
            return transaction(StoreTables::load);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<byte[]> readLogLines(String jobId, int attempt) {
        try {
            return transaction(c -> StoreTables.readLogLines(c, jobId, attempt));
        } catch (SQLException e) {
            throw BatonException.unavailable("cannot read the logs of job %s attempt %d: %s", jobId, attempt,
                                             e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Void> write(List<StoreWrite> writes) {
        return enqueue(writes, Urgency.DURABLE);
    }

    @Override
    public CompletableFuture<Void> writeCommitted(List<StoreWrite> writes) {
        return enqueue(writes, Urgency.COMMITTED);
    }

    @Override
    public CompletableFuture<Void> writeBehind(List<StoreWrite> writes) {
        return enqueue(writes, Urgency.BEHIND);
    }

    private CompletableFuture<Void> enqueue(List<StoreWrite> writes, Urgency urgency) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(BatonException.unavailable("the store is closed (server shutting down)"));
            return done;
        }
        queuedWrites.incrementAndGet();
        queue.add(new Pending(List.copyOf(writes), urgency, done));
        return done;
    }

    @Override
    public int queuedWrites() {
        return queuedWrites.get();
    }

    @Override
    public String problem() {
        return problem;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                Pending first = queue.poll(pollNanos(), TimeUnit.NANOSECONDS);
                if (first == null) {
                    syncIfDue();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                awaitUrgentWrite(batch);
                boolean stop = batch.remove(STOP);
                commit(batch);
                batch.clear();
                syncIfDue();
                if (stop) {
                    List<Pending> rest = new ArrayList<>();
                    queue.drainTo(rest);
                    commit(rest);
                    if (unsynced) {
                        sync();
                    }
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Adds to a batch of write-behind writes only until a write someone waits for (durable or
     * committed, or the stop) joins it, or for a while.
     */
    private void awaitUrgentWrite(List<Pending> batch) throws InterruptedException {
        long deadline = System.nanoTime() + WRITE_BEHIND_COALESCE.toNanos();
        int checked = 0;
        while (batch.size() < MAX_BATCH) {
            for (; checked < batch.size(); checked++) {
                if (batch.get(checked).urgency() != Urgency.BEHIND) {
                    return;
                }
            }
            Pending next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
    }

    /** Until the unsynced write-behind batches are due, else a second (only to notice the stop). */
    private long pollNanos() {
        if (!unsynced) {
            return TimeUnit.SECONDS.toNanos(1);
        }
        return Math.max(0, unsyncedSince + WRITE_BEHIND_SYNC.toNanos() - System.nanoTime());
    }

    private void syncIfDue() {
        if (unsynced && System.nanoTime() - unsyncedSince >= WRITE_BEHIND_SYNC.toNanos()) {
            sync();
        }
    }

    private void sync() {
        synchronized (lock) {
            try {
                if (syncWriteBehind(connection())) {
                    unsynced = false;
                    writeBehindSyncs.incrementAndGet();
                } else {
                    unsyncedSince = System.nanoTime() - WRITE_BEHIND_SYNC.toNanos() + SYNC_RETRY.toNanos();
                }
            } catch (SQLException e) {
                // Committed data stays committed; the next durable commit or a later try syncs it.
                unsyncedSince = System.nanoTime();
                broken(e);
                log.warn("event=store-sync-failed error=\"{}\"", e.getMessage());
            }
        }
    }

    long writeBehindSyncs() {
        return writeBehindSyncs.get();
    }

    private void commit(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        boolean durable = batch.stream().anyMatch(Pending::durable);
        synchronized (lock) {
            Connection c;
            // Only what comes before the commit can fail the batch: after it, the writes are in.
            try {
                c = connection();
                beforeBatch(c, durable);
                for (StoreWrite write : collapse(batch)) {
                    StoreTables.apply(write, this::update);
                }
                beforeCommit(c);
                c.commit();
            } catch (SQLException e) {
                failBatch(batch, e, BatonException.unavailable(
                        "store write failed: %s; nothing was changed, retry later", e.getMessage()));
                broken(e);
                return;
            } catch (RuntimeException e) {
                // A bug in turning a write into rows, not a broken store: this batch fails, and the
                // writer lives on for the writes after it (a writer thread that died would leave
                // every later write, and everyone waiting for one, waiting for ever).
                log.error("event=store-write-bug writes={}", batch.size(), e);
                failBatch(batch, e, BatonException.internal("store write failed (an internal error, logged as "
                                                            + "event=store-write-bug); nothing was changed"));
                return;
            }
            queuedWrites.addAndGet(-batch.size());
            if (durable) {
                unsynced = false;
            } else if (!unsynced) {
                unsynced = true;
                unsyncedSince = System.nanoTime();
            }
            if (problem != null) {
                log.info("event=store-recovered");
            }
            problem = null;
            batch.forEach(p -> p.done().complete(null));
            afterCommitQuietly(c);
        }
    }

    private void failBatch(List<Pending> batch, Exception cause, BatonException failure) {
        queuedWrites.addAndGet(-batch.size());
        rollbackQuietly();
        problem = "store write failed: " + cause.getMessage();
        log.warn("event=store-write-failed writes={} error=\"{}\"", batch.size(), cause.getMessage());
        batch.forEach(p -> p.done().completeExceptionally(failure));
    }

    private void afterCommitQuietly(Connection c) {
        try {
            afterCommit(c);
        } catch (SQLException e) {
            log.warn("event=store-after-commit-failed error=\"{}\"", e.getMessage());
        }
    }

    /**
     * The batch's writes in order, except that of several snapshots of one job only the last is
     * written: a job that went ASSIGNED, ACCEPTED and RUNNING within one commit costs one row write.
     */
    private static List<StoreWrite> collapse(List<Pending> batch) {
        Map<String, Integer> lastJobWrite = new HashMap<>();
        List<StoreWrite> writes = new ArrayList<>();
        for (Pending pending : batch) {
            for (StoreWrite write : pending.writes()) {
                if (write instanceof StoreWrite.PutJob put) {
                    lastJobWrite.put(put.job().getId(), writes.size());
                }
                writes.add(write);
            }
        }
        List<StoreWrite> result = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            StoreWrite write = writes.get(i);
            if (write instanceof StoreWrite.PutJob put && lastJobWrite.get(put.job().getId()) != i) {
                continue;
            }
            result.add(write);
        }
        return result;
    }

    private void update(String sql, Object... args) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection().prepareStatement(sql);
            statements.put(sql, ps);
        }
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        ps.executeUpdate();
    }

    /** The open connection, reopened first if the last one broke (a database restart, a network cut). */
    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = source.open();
            log.info("event=store-reconnected where=\"{}\"", where);
        }
        return connection;
    }

    /** Forgets the connection when it no longer works, so the next transaction opens a new one. */
    private void broken(SQLException cause) {
        try {
            if (connection != null && !connection.isClosed() && connection.isValid(2)) {
                return;
            }
        } catch (SQLException ignored) {
            // treated as broken
        }
        log.warn("event=store-connection-lost where=\"{}\" error=\"{}\"", where, cause.getMessage());
        statements.clear();
        closeQuietly(connection);
        connection = null;
    }

    private void rollbackQuietly() {
        try {
            if (connection != null) {
                connection.rollback();
            }
        } catch (SQLException e) {
            log.warn("event=store-rollback-failed error=\"{}\"", e.getMessage());
        }
    }

    /** Closes {@code connection}, logging (not throwing) a failure; null is fine. */
    static void closeQuietly(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            log.warn("event=store-close-failed error=\"{}\"", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(STOP);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            closeQuietly(connection);
            connection = null;
        }
    }
}
