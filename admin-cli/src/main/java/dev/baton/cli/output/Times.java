package dev.baton.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.google.protobuf.Timestamp;

/** Renders protobuf times for people: ages ({@code 3m}) in tables, instants with an age in details. */
public final class Times {

    /** Whether {@code timestamp} is set (proto3 gives an epoch-zero default otherwise). */
    public static boolean isSet(Timestamp timestamp) {
        return timestamp != null && (timestamp.getSeconds() != 0 || timestamp.getNanos() != 0);
    }

    /** The time since {@code timestamp}, e.g. {@code 42s}, {@code 5m}, {@code 3h}, {@code 2d}; "" when unset. */
    public static String age(Timestamp timestamp, Instant now) {
        if (!isSet(timestamp)) {
            return "";
        }
        return compact(Duration.between(toInstant(timestamp), now));
    }

    /** {@code 2026-11-27T10:15:30Z (5m ago)}; "" when unset. */
    public static String instantWithAge(Timestamp timestamp, Instant now) {
        if (!isSet(timestamp)) {
            return "";
        }
        Instant instant = toInstant(timestamp);
        String text = DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
        Duration since = Duration.between(instant, now);
        return since.isNegative() ? text + " (in " + compact(since.negated()) + ')' : text + " (" + compact(since) + " ago)";
    }

    /** A protobuf duration as {@code 1m30s}; "" when unset or zero. */
    public static String duration(com.google.protobuf.Duration duration) {
        if (duration == null || duration.getSeconds() == 0 && duration.getNanos() == 0) {
            return "";
        }
        Duration value = Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
        if (value.toSeconds() == 0) {
            return value.toMillis() + "ms";
        }
        long seconds = value.toSeconds();
        StringBuilder text = new StringBuilder();
        if (seconds >= 86_400) {
            text.append(seconds / 86_400).append('d');
            seconds %= 86_400;
        }
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
            seconds %= 3600;
        }
        if (seconds >= 60) {
            text.append(seconds / 60).append('m');
            seconds %= 60;
        }
        if (seconds > 0) {
            text.append(seconds).append('s');
        }
        return text.toString();
    }

    /** A Java duration as a protobuf duration. */
    public static com.google.protobuf.Duration toProto(Duration duration) {
        return com.google.protobuf.Duration.newBuilder()
                                           .setSeconds(duration.getSeconds())
                                           .setNanos(duration.getNano())
                                           .build();
    }

    // Ages are coarse on purpose: a table column only needs the order of magnitude.
    static String compact(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return seconds / 60 + "m";
        }
        if (seconds < 172_800) {
            return seconds / 3600 + "h";
        }
        return seconds / 86_400 + "d";
    }

    private static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private Times() {}
}
