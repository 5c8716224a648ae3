package dev.baton.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import dev.baton.proto.v1.Job;
import dev.baton.server.error.BatonException;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.store.StoredState;

/**
 * The real SQLite store, with a switch that makes writes fail as a full or read-only disk would,
 * and one that holds writes back as a slow disk would. A fake only for the fault: as root, a
 * read-only file is still writable, filling the test machine's disk is not an option, and a slow
 * disk cannot be had on demand.
 */
public final class FaultyStore implements BatonStore {

    private final BatonStore delegate;
    private volatile String fault;
    /** Writes held back, in order, while {@link #hold} is on; null when it is off. */
    private List<Runnable> held;
    /** The statuses of the job snapshots handed to this store, by job id, in the order they came. */
    private final Map<String, List<Job.Status>> snapshots = new ConcurrentHashMap<>();

    public FaultyStore(BatonStore delegate) {
        this.delegate = delegate;
    }

    /** Makes every later write fail with {@code reason}; null heals the store. */
    public void fail(String reason) {
        this.fault = reason;
    }

    /** Holds every later write back (in order) until {@link #release}. */
    public synchronized void hold() {
        if (held == null) {
            held = new ArrayList<>();
        }
    }

    /** Hands the held writes to the store in the order they came, and stops holding. */
    public synchronized void release() {
        List<Runnable> writes = held;
        held = null;
        if (writes != null) {
            writes.forEach(Runnable::run);
        }
    }

    /** How many writes are held back now. */
    public synchronized int heldCount() {
        return held == null ? 0 : held.size();
    }

    /** The statuses of the snapshots of job {@code jobId} this store was asked to write (failed ones too). */
    public List<Job.Status> snapshotsOf(String jobId) {
        return List.copyOf(snapshots.getOrDefault(jobId, List.of()));
    }

    private void note(List<StoreWrite> writes) {
        for (StoreWrite write : writes) {
            if (write instanceof StoreWrite.PutJob put) {
                snapshots.computeIfAbsent(put.job().getId(), id -> new CopyOnWriteArrayList<>())
                         .add(put.job().getStatus());
            }
        }
    }

    /** Passes {@code write} on now, or later when writes are held. */
    private synchronized CompletableFuture<Void> pass(Supplier<CompletableFuture<Void>> write) {
        if (held == null) {
            return write.get();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        held.add(() -> write.get().whenComplete((ok, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(null);
            }
        }));
        return done;
    }

    @Override
    public StoredState load() {
        return delegate.load();
    }

    @Override
    public CompletableFuture<Void> write(List<StoreWrite> writes) {
        note(writes);
        CompletableFuture<Void> failed = injectedFailure();
        return failed != null ? failed : pass(() -> delegate.write(writes));
    }

    @Override
    public CompletableFuture<Void> writeBehind(List<StoreWrite> writes) {
        note(writes);
        CompletableFuture<Void> failed = injectedFailure();
        return failed != null ? failed : pass(() -> delegate.writeBehind(writes));
    }

    @Override
    public CompletableFuture<Void> writeCommitted(List<StoreWrite> writes) {
        note(writes);
        CompletableFuture<Void> failed = injectedFailure();
        return failed != null ? failed : pass(() -> delegate.writeCommitted(writes));
    }

    /** A write failed as the real store fails one while the fault is on; null when it is off. */
    private CompletableFuture<Void> injectedFailure() {
        String reason = fault;
        return reason == null ? null : CompletableFuture.failedFuture(BatonException.unavailable(
                "store write failed: %s; nothing was changed, retry later", reason));
    }

    @Override
    public List<byte[]> readLogLines(String jobId, int attempt) {
        return delegate.readLogLines(jobId, attempt);
    }

    /** The delegate's queue and the writes held back here: both wait for their commit. */
    @Override
    public int queuedWrites() {
        return delegate.queuedWrites() + heldCount();
    }

    @Override
    public String problem() {
        String reason = fault;
        return reason != null ? "store write failed: " + reason : delegate.problem();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
