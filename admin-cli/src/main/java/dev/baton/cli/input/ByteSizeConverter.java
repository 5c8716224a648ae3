package dev.baton.cli.input;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Sizes in bytes: a bare number, or with a unit {@code K/KB/KiB}, {@code M/MB/MiB}, {@code G/GB/GiB}. Like
 * Docker, every unit is a power of 1024 (so {@code 2g} and {@code 2GiB} are the same).
 */
public final class ByteSizeConverter implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");

    @Override
    public Long convert(String value) {
        Matcher matcher = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a size (expected e.g. 536870912, 512MiB, 2GiB, 2g)");
        }
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "k":
                return amount << 10;
            case "m":
                return amount << 20;
            case "g":
                return amount << 30;
            case "t":
                return amount << 40;
            default:
                return amount;
        }
    }
}
