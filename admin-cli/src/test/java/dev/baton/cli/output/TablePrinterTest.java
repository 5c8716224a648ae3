package dev.baton.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

class TablePrinterTest {

    private static final List<Column<String[]>> COLUMNS = List.of(
            Column.of("ID", r -> r[0]),
            Column.of("STATUS", r -> r[1]),
            Column.wide("REASON", r -> r[2]));

    @Test
    void columnsAreAlignedWithoutTrailingSpaces() {
        String table = print(false, new String[] {"j-1", "RUNNING", ""}, new String[] {"job-22", "PENDING", "x"});

        assertThat(table).isEqualTo("ID       STATUS\n"
                                    + "j-1      RUNNING\n"
                                    + "job-22   PENDING\n");
    }

    @Test
    void wideAddsItsColumnsAndEmptyCellsShowADash() {
        String table = print(true, new String[] {"j-1", "RUNNING", ""}, new String[] {"job-22", "PENDING", "no agent"});

        assertThat(table).isEqualTo("ID       STATUS    REASON\n"
                                    + "j-1      RUNNING   -\n"
                                    + "job-22   PENDING   no agent\n");
    }

    @Test
    void newlinesInCellsDoNotBreakRows() {
        String table = print(true, new String[] {"j-1", "FAILED", "line one\nline two"});

        assertThat(table.lines()).hasSize(2);
        assertThat(table).contains("line one line two");
    }

    @Test
    void detailsAlignLabelsAndSkipEmptyValues() {
        StringWriter buffer = new StringWriter();
        new Details().add("ID", "j-1").add("Reason", "").always("Agent", "").add("Status", "RUNNING")
                     .print(new PrintWriter(buffer));

        assertThat(buffer.toString()).isEqualTo("ID:       j-1\n"
                                                + "Agent:    -\n"
                                                + "Status:   RUNNING\n");
    }

    private static String print(boolean wide, String[]... rows) {
        StringWriter buffer = new StringWriter();
        TablePrinter.print(new PrintWriter(buffer), COLUMNS, List.of(rows), wide);
        return buffer.toString();
    }
}
