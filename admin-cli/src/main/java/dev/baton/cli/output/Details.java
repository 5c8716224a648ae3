package dev.baton.cli.output;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A single item as aligned {@code Label:  value} lines (what {@code get} prints for people). Empty values are
 * left out so that the view shows what is set; sections (attempts, components) follow as indented tables.
 */
public final class Details {

    private final List<String[]> fields = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();

    /** Adds a field unless {@code value} is null or empty. */
    public Details add(String label, String value) {
        if (value != null && !value.isEmpty()) {
            fields.add(new String[] {label + ':', value.replace('\n', ' ')});
        }
        return this;
    }

    /** Adds a field even when empty (shown as "-"), for fields whose absence is itself information. */
    public Details always(String label, String value) {
        fields.add(new String[] {label + ':', value == null || value.isEmpty() ? "-" : value});
        return this;
    }

    /** Adds a titled table printed after the fields; skipped when it has no rows. */
    public <T> Details section(String title, List<Column<T>> columns, List<T> rows) {
        if (!rows.isEmpty()) {
            sections.add(new Section(title, out -> TablePrinter.print(out, columns, rows, true)));
        }
        return this;
    }

    /** Prints the fields aligned, then the sections. */
    public void print(PrintWriter out) {
        TablePrinter.printAligned(out, fields);
        for (Section section : sections) {
            out.println();
            out.println(section.title + ':');
            StringWriter buffer = new StringWriter();
            PrintWriter indented = new PrintWriter(buffer);
            section.body.accept(indented);
            indented.flush();
            buffer.toString().lines().forEach(line -> out.println("  " + line));
        }
        out.flush();
    }

    private static final class Section {
        final String title;
        final Consumer<PrintWriter> body;

        Section(String title, Consumer<PrintWriter> body) {
            this.title = title;
            this.body = body;
        }
    }
}
