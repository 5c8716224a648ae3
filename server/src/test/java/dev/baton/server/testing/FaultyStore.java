package dev.baton.server.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.baton.server.error.BatonException;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.store.StoredState;

/**
 * The real SQLite store, with a switch that makes writes fail as a full or read-only disk would.
 * A fake only for the fault: as root, a read-only file is still writable, and filling the test
 * machine's disk is not an option.
 */
public final class FaultyStore implements BatonStore {

    private final BatonStore delegate;
    private volatile String fault;

    public FaultyStore(BatonStore delegate) {
        this.delegate = delegate;
    }

    /** Makes every later write fail with {@code reason}; null heals the store. */
    public void fail(String reason) {
        this.fault = reason;
    }

    @Override
    public StoredState load() {
        return delegate.load();
    }

    @Override
    public CompletableFuture<Void> write(List<StoreWrite> writes) {
        CompletableFuture<Void> failed = injectedFailure();
        return failed != null ? failed : delegate.write(writes);
    }

    @Override
    public CompletableFuture<Void> writeBehind(List<StoreWrite> writes) {
        CompletableFuture<Void> failed = injectedFailure();
        return failed != null ? failed : delegate.writeBehind(writes);
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
