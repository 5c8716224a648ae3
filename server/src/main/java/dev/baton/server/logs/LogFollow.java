package dev.baton.server.logs;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.baton.proto.v1.FollowLogsResponse;
import dev.baton.proto.v1.LogLine;
import dev.baton.proto.v1.LogStream;

/**
 * One follower of an attempt's output. It keeps no queue: it holds a cursor (the last seq it sent)
 * and, whenever woken, reads the attempt's retained lines after it while the client is ready. A
 * slow client therefore costs no memory; if lines it had not read yet were evicted, it gets a marker
 * line (seq 0) saying how many it missed. Runs on one event loop ({@code executor}).
 */
public final class LogFollow {

    private static final int BATCH = 500;

    private final LogFollowTransport transport;
    private final Executor executor;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable listener = this::wake;
    private volatile AttemptLog source;
    private volatile boolean done;
    private LogFilter filter;
    private long cursor;

    /** A follower writing to {@code transport} from {@code executor}, which must run one task at a time. */
    public LogFollow(LogFollowTransport transport, Executor executor) {
        this.transport = requireNonNull(transport, "transport");
        this.executor = requireNonNull(executor, "executor");
    }

    void attach(AttemptLog source, LogFilter filter, long cursor) {
        this.filter = filter;
        this.cursor = cursor;
        this.source = source;
        source.addListener(listener);
        if (done) {
            source.removeListener(listener);
        }
        wake();
    }

    /** Something changed (new lines, the attempt ended, the client became ready): pump soon. */
    public void wake() {
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(() -> {
                scheduled.set(false);
                pump();
            });
        }
    }

    /** The client went away. */
    public void cancel() {
        done = true;
        AttemptLog attached = source;
        if (attached != null) {
            attached.removeListener(listener);
        }
    }

    private void pump() {
        AttemptLog log = source;
        if (done || log == null) {
            return;
        }
        while (transport.isReady()) {
            // Read "ended" before the lines: an end seen here comes after every line it ended.
            boolean ended = log.ended();
            List<LogLine> raw = log.after(cursor, BATCH);
            if (raw.isEmpty()) {
                if (ended) {
                    finish(log);
                }
                return;
            }
            List<LogLine> out = new ArrayList<>(raw.size() + 1);
            long missed = raw.get(0).getSeq() - cursor - 1;
            if (cursor > 0 && missed > 0) {
                out.add(LogLine.newBuilder().setStream(LogStream.LOG_STREAM_BATON)
                               .setText("… " + missed + " lines skipped: evicted from the retained tail before "
                                        + "this follower read them").build());
            }
            raw.stream().filter(filter::matches).forEach(out::add);
            cursor = raw.get(raw.size() - 1).getSeq();
            if (!out.isEmpty()) {
                transport.send(FollowLogsResponse.newBuilder().setAttempt(log.attempt).addAllLines(out).build());
            }
        }
    }

    private void finish(AttemptLog log) {
        done = true;
        log.removeListener(listener);
        transport.send(FollowLogsResponse.newBuilder().setAttempt(log.attempt).setAttemptEnded(true).build());
        transport.complete();
    }
}
