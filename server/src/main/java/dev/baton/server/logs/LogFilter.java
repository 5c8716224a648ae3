package dev.baton.server.logs;

import java.util.List;
import java.util.Locale;

import dev.baton.proto.v1.LogLine;
import dev.baton.proto.v1.LogStream;
import dev.baton.server.error.BatonException;

/** Which lines a reader asked for: one stream or both (Baton's markers always pass). */
public record LogFilter(LogStream stream) {

    /** Parses the {@code stream} parameter: empty, stdout or stderr (the enum names work too). */
    public static LogFilter parse(String stream) {
        String s = stream == null ? "" : stream.trim().toLowerCase(Locale.ROOT);
        return switch (s.startsWith("log_stream_") ? s.substring("log_stream_".length()) : s) {
            case "" -> new LogFilter(LogStream.LOG_STREAM_UNSPECIFIED);
            case "stdout" -> new LogFilter(LogStream.LOG_STREAM_STDOUT);
            case "stderr" -> new LogFilter(LogStream.LOG_STREAM_STDERR);
            default -> throw BatonException.invalidArgument("stream: \"%s\" (expected: stdout or stderr)", stream);
        };
    }

    public boolean matches(LogLine line) {
        return stream == LogStream.LOG_STREAM_UNSPECIFIED || line.getStream() == stream
               || line.getStream() == LogStream.LOG_STREAM_BATON;
    }

    List<LogLine> apply(List<LogLine> lines) {
        return stream == LogStream.LOG_STREAM_UNSPECIFIED ? lines : lines.stream().filter(this::matches).toList();
    }

    /** Checks a count parameter (tail, limit): null or zero and up. */
    static void notNegative(String name, Long value) {
        if (value != null && value < 0) {
            throw BatonException.invalidArgument("%s: %d (expected: 0 or more)", name, value);
        }
    }
}
