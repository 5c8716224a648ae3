package dev.baton.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints rows as columns aligned with three spaces between them, like kubectl; no trailing spaces. */
public final class TablePrinter {

    private static final String GAP = "   ";

    /** Prints a header line and one line per row; wide-only columns only when {@code wide}. */
    public static <T> void print(PrintWriter out, List<Column<T>> columns, List<T> rows, boolean wide) {
        List<Column<T>> shown = new ArrayList<>();
        for (Column<T> column : columns) {
            if (wide || !column.wideOnly()) {
                shown.add(column);
            }
        }
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[shown.size()];
        for (int i = 0; i < shown.size(); i++) {
            header[i] = shown.get(i).header();
        }
        lines.add(header);
        for (T row : rows) {
            String[] cells = new String[shown.size()];
            for (int i = 0; i < shown.size(); i++) {
                cells[i] = shown.get(i).render(row);
            }
            lines.add(cells);
        }
        printAligned(out, lines);
    }

    /** Prints pre-rendered cells aligned; the first line is usually a header. */
    public static void printAligned(PrintWriter out, List<String[]> lines) {
        int columns = lines.isEmpty() ? 0 : lines.get(0).length;
        int[] widths = new int[columns];
        for (String[] line : lines) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], line[i].codePointCount(0, line[i].length()));
            }
        }
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                text.append(line[i]);
                if (i < columns - 1) {
                    text.append(" ".repeat(widths[i] - line[i].codePointCount(0, line[i].length()))).append(GAP);
                }
            }
            out.println(text.toString().stripTrailing());
        }
        out.flush();
    }

    private TablePrinter() {}
}
