package dev.redock.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table, columns padded to their widest cell, as {@code docker ps} prints. */
final class Table {

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = headers;
    }

    void row(String... cells) {
        rows.add(cells);
    }

    void print(PrintStream out) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i] == null ? 1 : row[i].length());
            }
        }
        line(out, headers, widths);
        rows.forEach(r -> line(out, r, widths));
    }

    private static void line(PrintStream out, String[] cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i] == null ? "-" : cells[i];
            sb.append(cell);
            if (i < cells.length - 1) {
                sb.append(" ".repeat(widths[i] - cell.length() + 3));
            }
        }
        out.println(sb);
    }
}
