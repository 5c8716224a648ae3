package dev.baton.cli.output;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/**
 * One column of a table: a header and how to render a row's cell. Wide-only columns appear with {@code -o wide}.
 *
 * @param <T> the row type
 */
public final class Column<T> {

    private final String header;
    private final Function<T, String> cell;
    private final boolean wideOnly;

    private Column(String header, Function<T, String> cell, boolean wideOnly) {
        this.header = requireNonNull(header, "header");
        this.cell = requireNonNull(cell, "cell");
        this.wideOnly = wideOnly;
    }

    /** A column shown in every table format. */
    public static <T> Column<T> of(String header, Function<T, String> cell) {
        return new Column<>(header, cell, false);
    }

    /** A column shown only with {@code -o wide}. */
    public static <T> Column<T> wide(String header, Function<T, String> cell) {
        return new Column<>(header, cell, true);
    }

    String header() {
        return header;
    }

    boolean wideOnly() {
        return wideOnly;
    }

    String render(T row) {
        String value = cell.apply(row);
        if (value == null || value.isEmpty()) {
            return "-";
        }
        // A cell must stay on one line or the table falls apart.
        return value.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
