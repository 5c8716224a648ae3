package dev.baton.server.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.baton.proto.v1.LogLine;
import dev.baton.proto.v1.StoredLogLines;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;

/**
 * The tails of live attempts, in memory, and their way to and from the store. An attempt's new lines
 * go to the store as one batch per flush (periodically and when the attempt ends), never a row per
 * line; once an ended attempt's last batch is durable it leaves memory and is read back on demand.
 * The map is owned by the control loop; store reads run on their own thread.
 */
final class LogBook {

    private static final Logger log = LoggerFactory.getLogger(LogBook.class);

    private final LogLimits limits;
    private final ControlLoop loop;
    private final BatonStore store;
    private final LogMetrics metrics;
    /** By job id, then attempt: job events look up their job's attempts without a scan. */
    private final Map<String, Map<Integer, AttemptLog>> live = new HashMap<>();
    private final ExecutorService reads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "baton-log-reads");
        t.setDaemon(true);
        return t;
    });

    LogBook(LogLimits limits, ControlLoop loop, BatonStore store, LogMetrics metrics) {
        this.limits = limits;
        this.loop = loop;
        this.store = store;
        this.metrics = metrics;
    }

    /** The attempt's log while it is in memory; null otherwise. */
    AttemptLog find(String jobId, int attempt) {
        Map<Integer, AttemptLog> attempts = live.get(jobId);
        return attempts == null ? null : attempts.get(attempt);
    }

    /** The attempt's log, created empty when it is not in memory (a new attempt). */
    AttemptLog open(String jobId, int attempt) {
        return live.computeIfAbsent(jobId, id -> new HashMap<>(2)).computeIfAbsent(
                attempt, a -> new AttemptLog(jobId, attempt, limits.tailBytes(), metrics.retainedBytes));
    }

    /** At start-up: attempts still on agents continue from their stored tail (and their seqs). */
    void restore(String jobId, int attempt) {
        AttemptLog attemptLog = open(jobId, attempt);
        attemptLog.restore(storedLines(jobId, attempt));
    }

    /** Every attempt log in memory, for periodic work. */
    List<AttemptLog> inMemory() {
        List<AttemptLog> all = new ArrayList<>();
        live.values().forEach(attempts -> all.addAll(attempts.values()));
        return all;
    }

    /** Attempt logs of one job in memory. */
    List<AttemptLog> ofJob(String jobId) {
        Map<Integer, AttemptLog> attempts = live.get(jobId);
        return attempts == null ? List.of() : List.copyOf(attempts.values());
    }

    /** Hands the attempt's new lines to the store; an ended attempt leaves memory once they are durable. */
    void flush(AttemptLog attemptLog, Instant now) {
        List<LogLine> batch = attemptLog.unflushed();
        if (batch == null) {
            if (attemptLog.ended()) {
                forget(attemptLog);
            }
            return;
        }
        long first = batch.get(0).getSeq();
        long last = batch.get(batch.size() - 1).getSeq();
        byte[] bytes = StoredLogLines.newBuilder().addAllLines(batch).build().toByteArray();
        store.write(List.of(
                new StoreWrite.PutLogLines(attemptLog.jobId, attemptLog.attempt, first, last, bytes, now),
                new StoreWrite.TrimLogLines(attemptLog.jobId, attemptLog.attempt, attemptLog.firstSeq())))
             .whenComplete((ok, error) -> {
                 if (error != null) {
                     // Kept in memory and retried at the next flush.
                     log.warn("event=log-flush-failed job={} attempt={} error=\"{}\"", attemptLog.jobId,
                              attemptLog.attempt, error.getMessage());
                     return;
                 }
                 attemptLog.flushed(last);
                 if (attemptLog.ended()) {
                     loop.execute(() -> forget(attemptLog));
                 }
             });
    }

    private void forget(AttemptLog attemptLog) {
        Map<Integer, AttemptLog> attempts = live.get(attemptLog.jobId);
        if (attempts != null && attempts.get(attemptLog.attempt) == attemptLog && attemptLog.unflushed() == null) {
            attempts.remove(attemptLog.attempt);
            if (attempts.isEmpty()) {
                live.remove(attemptLog.jobId);
            }
            attemptLog.release();
        }
    }

    /** An ended attempt read back from the store (off the loop), as a detached, ended log. */
    CompletableFuture<AttemptLog> readStored(String jobId, int attempt) {
        return CompletableFuture.supplyAsync(() -> {
            AttemptLog stored = new AttemptLog(jobId, attempt, limits.tailBytes(),
                                               new java.util.concurrent.atomic.AtomicLong());
            stored.restore(storedLines(jobId, attempt));
            stored.end(Instant.EPOCH);
            return stored;
        }, reads);
    }

    private List<LogLine> storedLines(String jobId, int attempt) {
        List<LogLine> lines = new ArrayList<>();
        long last = 0;
        for (byte[] batch : store.readLogLines(jobId, attempt)) {
            try {
                for (LogLine line : StoredLogLines.parseFrom(batch).getLinesList()) {
                    // A batch re-flushed with more lines replaces the older one; guard against overlap anyway.
                    if (line.getSeq() > last) {
                        lines.add(line);
                        last = line.getSeq();
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                log.warn("event=log-batch-unreadable job={} attempt={} error=\"{}\"", jobId, attempt, e.getMessage());
            }
        }
        return lines;
    }

    void close() {
        reads.shutdownNow();
    }
}
