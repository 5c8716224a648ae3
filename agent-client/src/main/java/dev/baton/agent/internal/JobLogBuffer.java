package dev.baton.agent.internal;

import com.google.protobuf.ByteString;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.JobLog;
import dev.baton.proto.v1.LogStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A job attempt's output lines on their way to the server: job threads add lines (never blocking),
 * the event loop drains them into numbered JobLog messages. The buffer is bounded: while it is full
 * (server unreachable, or a job printing faster than the link), new lines are dropped and counted,
 * and a marker line on stderr says how many.
 */
final class JobLogBuffer {

    /** Lines held at most, in bytes; beyond it lines are dropped. */
    static final int MAX_BUFFERED_BYTES = 1024 * 1024;
    /** A buffer holding this much is sent at once instead of after the batching delay. */
    static final int SEND_NOW_BYTES = 64 * 1024;
    /** Longer lines are cut here; the server cuts them shorter still (LOG_MAX_LINE_BYTES). */
    static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private record Line(LogStream stream, byte[] bytes) {}

    private final String jobId;
    private final int attempt;
    private final ArrayDeque<Line> lines = new ArrayDeque<>(); // guarded by this
    private long bufferedBytes; // guarded by this
    private long dropped; // guarded by this
    private boolean flushScheduled; // guarded by this
    private long sequence; // event loop only

    JobLogBuffer(String jobId, int attempt) {
        this.jobId = jobId;
        this.attempt = attempt;
    }

    /** What the caller must do after adding a line. */
    enum Next { NOTHING, SCHEDULE_FLUSH, FLUSH_NOW }

    synchronized Next add(LogStream stream, byte[] line) {
        byte[] bytes = line.length > MAX_LINE_BYTES ? java.util.Arrays.copyOf(line, MAX_LINE_BYTES) : line;
        if (bufferedBytes + bytes.length > MAX_BUFFERED_BYTES) {
            dropped++;
            return Next.NOTHING;
        }
        lines.addLast(new Line(stream, bytes));
        bufferedBytes += bytes.length;
        if (bufferedBytes >= SEND_NOW_BYTES) {
            return Next.FLUSH_NOW;
        }
        if (flushScheduled) {
            return Next.NOTHING;
        }
        flushScheduled = true;
        return Next.SCHEDULE_FLUSH;
    }

    /** Everything buffered, as JobLog messages in order (event loop). */
    List<AgentMessage> drain() {
        List<Line> taken;
        long lost;
        synchronized (this) {
            taken = new ArrayList<>(lines);
            lines.clear();
            bufferedBytes = 0;
            lost = dropped;
            dropped = 0;
            flushScheduled = false;
        }
        if (lost > 0) {
            taken.add(new Line(LogStream.LOG_STREAM_STDERR, ("… " + lost + " lines dropped by the agent (its log "
                                                             + "buffer was full)").getBytes(StandardCharsets.UTF_8)));
        }
        List<AgentMessage> messages = new ArrayList<>();
        JobLog.Builder current = null;
        int size = 0;
        for (Line line : taken) {
            if (current == null || current.getStream() != line.stream()
                || size + line.bytes().length > MAX_MESSAGE_BYTES) {
                if (current != null) {
                    messages.add(AgentMessage.newBuilder().setJobLog(current).build());
                }
                current = JobLog.newBuilder().setJobId(jobId).setAttempt(attempt).setSequence(++sequence)
                                .setStream(line.stream());
                size = 0;
            }
            current.addLines(ByteString.copyFrom(line.bytes()));
            size += line.bytes().length;
        }
        if (current != null) {
            messages.add(AgentMessage.newBuilder().setJobLog(current).build());
        }
        return messages;
    }
}
