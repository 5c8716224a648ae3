package dev.baton.server.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable store of the desired state: jobs, templates, pools, idempotency keys, webhooks and
 * their deliveries, job log tails.
 * The embedded default is {@link SqliteStore}; {@link PostgresStore} is shared by several servers.
 */
public interface BatonStore extends AutoCloseable {

    /** Reads everything; called once at start-up before any write. */
    StoredState load();

    /**
     * Applies {@code writes} atomically, after every write handed over before. The future completes
     * once the writes are durable, or exceptionally (with the reason) when they could not be made so,
     * in which case none of them took effect.
     */
    CompletableFuture<Void> write(List<StoreWrite> writes);

    /**
     * Like {@link #write}, for changes that nobody waits on before acting (a job's status as its
     * agent reports it): applied in the same order as every other write, and visible to
     * {@link #load} once the future completes, but a store may make them durable against a
     * machine crash a little later (within {@code JdbcStore.WRITE_BEHIND_SYNC}, or with the next
     * {@link #write}, whichever comes first) so that acknowledged writes do not queue behind
     * their disk syncs. A crash of the server process alone loses nothing that completed.
     */
    default CompletableFuture<Void> writeBehind(List<StoreWrite> writes) {
        return write(writes);
    }

    /**
     * Like {@link #writeBehind}, for a change the server is about to act on outside itself (an
     * Assign goes to an agent once its ASSIGNED snapshot is stored): committed at once rather than
     * waiting to share a commit, and completed once committed, so a crash of the server process
     * after the agent was told cannot lose it. Synced against a machine crash as write-behind is.
     */
    default CompletableFuture<Void> writeCommitted(List<StoreWrite> writes) {
        return write(writes);
    }

    /**
     * The stored log batches of one job attempt (StoredLogLines bytes), oldest first; read on demand,
     * off the control loop. A store that keeps no logs answers none.
     */
    default List<byte[]> readLogLines(String jobId, int attempt) {
        return List.of();
    }

    /** Writes handed over and not yet committed: how far behind the store is (a metric). */
    default int queuedWrites() {
        return 0;
    }

    /** Null when the last write succeeded; otherwise why the store is failing. */
    String problem();

    @Override
    void close();
}
