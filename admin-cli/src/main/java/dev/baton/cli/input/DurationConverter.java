package dev.baton.cli.input;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people type them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, combinations
 * such as {@code 1m30s}, a bare number of seconds, or ISO-8601 ({@code PT10S}).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is expected. */
    public static Duration parse(String text) {
        String value = text.trim();
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        if (value.startsWith("P") || value.startsWith("p")) {
            try {
                return nonNegative(Duration.parse(value), text);
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher matcher = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(unit(matcher.group(2), amount));
            end = matcher.end();
        }
        if (end == 0 || end != value.length()) {
            throw invalid(text);
        }
        return total;
    }

    private static Duration unit(String unit, long amount) {
        switch (unit) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }

    private static Duration nonNegative(Duration duration, String text) {
        if (duration.isNegative()) {
            throw invalid(text);
        }
        return duration;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "'" + text + "' is not a duration (expected e.g. 500ms, 10s, 5m, 1h30m, 2d)");
    }
}
