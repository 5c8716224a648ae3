package dev.baton.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * Proto3 JSON as scripts read it. Fields at their default value are printed too, so that
 * {@code jq .attempt} gives 0 rather than null; field names are lowerCamelCase, enums by name.
 */
public final class JsonOutput {

    private static final JsonFormat.Printer PRETTY = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Printer COMPACT = PRETTY.omittingInsignificantWhitespace();

    /** Indented JSON, for {@code -o json}. */
    public static String pretty(MessageOrBuilder message) {
        return print(PRETTY, message);
    }

    /** One-line JSON, for event streams ({@code watch -o json}: one event per line). */
    public static String compact(MessageOrBuilder message) {
        return print(COMPACT, message);
    }

    private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
        try {
            return printer.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only Any with an unknown type fails to print, and the contract has no Any.
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private JsonOutput() {}
}
