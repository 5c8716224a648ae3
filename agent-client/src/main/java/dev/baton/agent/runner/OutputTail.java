package dev.baton.agent.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads a child's stderr on its own thread: copies each line to the agent's stderr (prefixed
 * with the job) and keeps the last lines, which become the error of a failed job.
 */
final class OutputTail {

    private final Deque<String> lines = new ArrayDeque<>();
    private final int maxLines;
    private final Thread reader;

    OutputTail(InputStream stream, int maxLines, String prefix, PrintStream echo, String threadName) {
        this.maxLines = maxLines;
        this.reader = new Thread(() -> read(stream, prefix, echo), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream stream, String prefix, PrintStream echo) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                echo.println(prefix + line);
                synchronized (lines) {
                    if (maxLines > 0 && lines.size() == maxLines) {
                        lines.removeFirst();
                    }
                    if (maxLines > 0) {
                        lines.addLast(line);
                    }
                }
            }
        } catch (IOException e) {
            // The pipe closed under the reader: the tail so far is all there is.
        }
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
