package dev.baton.cli.output;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** What {@code -o} asks for: aligned tables for people, more columns, or proto3 JSON for scripts. */
public enum OutputFormat {
    /** Aligned columns (lists) or aligned fields (single items). */
    TABLE,
    /** Like table, with extra columns. */
    WIDE,
    /** Proto3 JSON of the server's response, as produced by JsonFormat. */
    JSON;

    /** Accepts the lower-case names users type ({@code -o json}). */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not an output format (expected: table, wide, json)");
            }
        }
    }

    /** The names offered by shell completion and shown in help. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).iterator();
        }
    }
}
