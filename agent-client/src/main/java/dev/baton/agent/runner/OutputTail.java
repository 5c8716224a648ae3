package dev.baton.agent.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Reads one of a child's output streams on its own thread, line by line as bytes: hands each line
 * to a sink (the job's log), copies it to the agent's own stream (prefixed with the job) and keeps
 * the last lines (stderr's become the error of a failed job). A line longer than
 * {@link #MAX_LINE_BYTES} is cut, so a process that never prints a newline cannot exhaust memory.
 */
final class OutputTail {

    static final int MAX_LINE_BYTES = 64 * 1024;

    private final Deque<String> lines = new ArrayDeque<>();
    private final int maxLines;
    private final Thread reader;

    OutputTail(InputStream stream, int maxLines, String prefix, PrintStream echo, Consumer<byte[]> sink,
               String threadName) {
        this.maxLines = maxLines;
        this.reader = new Thread(() -> read(stream, prefix, echo, sink), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream stream, String prefix, PrintStream echo, Consumer<byte[]> sink) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (stream) {
            int n;
            while ((n = stream.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        emit(line, prefix, echo, sink);
                    } else if (line.size() < MAX_LINE_BYTES) {
                        line.write(buffer[i]);
                    }
                }
            }
            if (line.size() > 0) {
                emit(line, prefix, echo, sink);
            }
        } catch (IOException e) {
            // The pipe closed under the reader: the output so far is all there is.
        }
    }

    private void emit(ByteArrayOutputStream line, String prefix, PrintStream echo, Consumer<byte[]> sink) {
        byte[] bytes = line.toByteArray();
        line.reset();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (length != bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, length);
        }
        sink.accept(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8);
        echo.println(prefix + text);
        if (maxLines > 0) {
            synchronized (lines) {
                if (lines.size() == maxLines) {
                    lines.removeFirst();
                }
                lines.addLast(text);
            }
        }
    }

    /** Waits until the stream ended, at most {@code waitMillis}. */
    void await(long waitMillis) throws InterruptedException {
        reader.join(waitMillis);
    }

    /**
     * The last lines, once the stream ended (or after {@code waitMillis}: a background grandchild
     * may hold the pipe open long after the process itself exited).
     */
    String awaitTail(long waitMillis) throws InterruptedException {
        reader.join(waitMillis);
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
