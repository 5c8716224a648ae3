package dev.baton.cli.output;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import com.google.protobuf.MessageOrBuilder;

/**
 * Where a command's results go, in the format {@code -o} chose. JSON is always the server's message as is, so
 * scripts see exactly the contract; tables and details are for people.
 */
public final class Output {

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;
    private final Clock clock;

    /** Results to {@code out}, notes for people to {@code err}. */
    public Output(PrintWriter out, PrintWriter err, OutputFormat format, Clock clock) {
        this.out = requireNonNull(out, "out");
        this.err = requireNonNull(err, "err");
        this.format = requireNonNull(format, "format");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Whether the output is JSON (progress and notes then go to stderr only). */
    public boolean json() {
        return format == OutputFormat.JSON;
    }

    /** The current time, for ages. */
    public Instant now() {
        return clock.instant();
    }

    /** Standard output. */
    public PrintWriter out() {
        return out;
    }

    /** Standard error. */
    public PrintWriter err() {
        return err;
    }

    /**
     * A list: the whole {@code response} as JSON, or {@code rows} as a table. An empty table prints
     * {@code emptyNote} to stderr instead (stdout stays empty so that {@code | wc -l} counts items).
     */
    public <T> void list(MessageOrBuilder response, List<T> rows, List<Column<T>> columns, String emptyNote) {
        if (json()) {
            printJson(response);
            return;
        }
        if (rows.isEmpty()) {
            note(emptyNote);
            return;
        }
        TablePrinter.print(out, columns, rows, format == OutputFormat.WIDE);
    }

    /** A single item: {@code message} as JSON, or the details {@code describe} fills in. */
    public void item(MessageOrBuilder message, Consumer<Details> describe) {
        if (json()) {
            printJson(message);
            return;
        }
        Details details = new Details();
        describe.accept(details);
        details.print(out);
    }

    /** The result of an action: {@code message} as JSON, or one line for people. */
    public void done(MessageOrBuilder message, String line) {
        if (json()) {
            printJson(message);
            return;
        }
        out.println(line);
        out.flush();
    }

    /** Indented JSON of {@code message} on stdout. */
    public void printJson(MessageOrBuilder message) {
        out.println(JsonOutput.pretty(message));
        out.flush();
    }

    /** A note for people on stderr (never part of the result). */
    public void note(String text) {
        err.println(text);
        err.flush();
    }
}
