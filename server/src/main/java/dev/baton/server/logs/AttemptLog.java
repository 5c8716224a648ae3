package dev.baton.server.logs;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.LogLine;
import dev.baton.proto.v1.LogStream;

/**
 * The retained output of one job attempt: the newest lines whose charged size (UTF-8 text plus
 * {@link LogLimits#LINE_OVERHEAD_BYTES}) fits the cap; older lines are evicted as new ones come.
 * Written on the control loop, read by any thread (followers, queries), so every method locks.
 */
final class AttemptLog {

    final String jobId;
    final int attempt;
    private final long capBytes;
    private final AtomicLong retainedTotal;
    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long retainedBytes;
    private long lastSeq;
    private long lastChunkSequence;
    private long pendingDropped;
    private long flushedSeq;
    private boolean ended;

    AttemptLog(String jobId, int attempt, long capBytes, AtomicLong retainedTotal) {
        this.jobId = jobId;
        this.attempt = attempt;
        this.capBytes = capBytes;
        this.retainedTotal = retainedTotal;
    }

    /** Continues an attempt from its stored lines (already durable, so nothing to flush). */
    synchronized void restore(List<LogLine> stored) {
        for (LogLine line : stored) {
            add(line);
        }
        flushedSeq = lastSeq;
    }

    /** True (and remembered) when {@code sequence} is new; 0 means the agent does not number its chunks. */
    synchronized boolean acceptChunk(long sequence) {
        if (sequence != 0 && sequence <= lastChunkSequence) {
            return false;
        }
        lastChunkSequence = Math.max(lastChunkSequence, sequence);
        return true;
    }

    /**
     * Appends the lines that {@code admit} lets through (it is given each line's charged size); the
     * others are counted, and a marker saying how many were dropped precedes the next admitted line.
     *
     * @return how many lines were dropped
     */
    synchronized int append(LogStream stream, List<String> texts, Instant time, LongPredicate admit) {
        int dropped = 0;
        for (String text : texts) {
            if (!admit.test(cost(text))) {
                pendingDropped++;
                dropped++;
                continue;
            }
            settleDrops(time);
            add(line(stream, text, time));
        }
        return dropped;
    }

    /** Writes the marker for lines dropped since the last admitted one, if any. */
    synchronized void settleDrops(Instant time) {
        if (pendingDropped > 0) {
            add(line(LogStream.LOG_STREAM_BATON, "… " + pendingDropped
                     + " lines dropped (the agent exceeded LOG_RATE_KIB_PER_S)", time));
            pendingDropped = 0;
        }
    }

    /** No more lines will come: settles drops and wakes followers so they can finish. */
    void end(Instant time) {
        synchronized (this) {
            settleDrops(time);
            ended = true;
        }
        wakeListeners();
    }

    synchronized boolean ended() {
        return ended;
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized long retainedBytes() {
        return retainedBytes;
    }

    /** Up to {@code max} retained lines with a seq above {@code afterSeq}, oldest first. */
    synchronized List<LogLine> after(long afterSeq, int max) {
        List<LogLine> out = new ArrayList<>(Math.min(max, lines.size()));
        for (LogLine line : lines) {
            if (line.getSeq() > afterSeq) {
                out.add(line);
                if (out.size() == max) {
                    break;
                }
            }
        }
        return out;
    }

    /** Every retained line, oldest first. */
    synchronized List<LogLine> all() {
        return new ArrayList<>(lines);
    }

    /** Retained lines not yet handed to the store; null when there are none. */
    synchronized List<LogLine> unflushed() {
        if (lastSeq <= flushedSeq) {
            return null;
        }
        return after(flushedSeq, Integer.MAX_VALUE);
    }

    /** The store holds every line up to {@code seq}. */
    synchronized void flushed(long seq) {
        flushedSeq = Math.max(flushedSeq, seq);
    }

    /** The oldest retained seq (0: none): stored chunks that end before it can go. */
    synchronized long firstSeq() {
        return lines.isEmpty() ? 0 : lines.peekFirst().getSeq();
    }

    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    void wakeListeners() {
        listeners.forEach(Runnable::run);
    }

    /**
     * The attempt leaves the book: its bytes no longer count as held. The lines stay for followers
     * still reading them; the object goes when they finish.
     */
    synchronized void release() {
        retainedTotal.addAndGet(-retainedBytes);
    }

    static long cost(String text) {
        return LineText.utf8Length(text) + LogLimits.LINE_OVERHEAD_BYTES;
    }

    private LogLine line(LogStream stream, String text, Instant time) {
        return LogLine.newBuilder().setSeq(lastSeq + 1).setStream(stream).setText(text)
                      .setTime(Timestamps.fromMillis(time.toEpochMilli())).build();
    }

    private void add(LogLine line) {
        long cost = cost(line.getText());
        lines.addLast(line);
        lastSeq = line.getSeq();
        retainedBytes += cost;
        retainedTotal.addAndGet(cost);
        Iterator<LogLine> oldest = lines.iterator();
        while (retainedBytes > capBytes && oldest.hasNext()) {
            long evicted = cost(oldest.next().getText());
            oldest.remove();
            retainedBytes -= evicted;
            retainedTotal.addAndGet(-evicted);
        }
    }
}
