package io.hyphae.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A text table: a header row and rows of cells, printed with each column as wide as its widest cell and two spaces
 * between columns. Numeric columns are right-aligned. Not thread safe; build one per command.
 */
final class Table {
    private final String[] header;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    private Table(String... header) {
        this.header = header.clone();
        this.rightAligned = new boolean[header.length];
    }

    static Table of(String... header) {
        return new Table(header);
    }

    /** Right-aligns the columns at {@code columns} (counters, sizes, times). */
    Table rightAlign(int... columns) {
        for (int c : columns) {
            rightAligned[c] = true;
        }
        return this;
    }

    /**
     * @throws IllegalArgumentException when {@code cells} has not one cell per column
     */
    Table row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("a row of this table has " + header.length + " cells, not "
                    + cells.length + ": " + Arrays.toString(cells));
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = Objects.toString(cells[i], "-");
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    int size() {
        return rows.size();
    }

    void print(PrintStream out) {
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        out.println(line(header, widths));
        for (String[] row : rows) {
            out.println(line(row, widths));
        }
    }

    private String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            boolean last = c == cells.length - 1;
            int pad = widths[c] - cells[c].length();
            if (rightAligned[c]) {
                line.append(" ".repeat(pad)).append(cells[c]);
            } else {
                line.append(cells[c]);
                if (!last) {
                    line.append(" ".repeat(pad));
                }
            }
            if (!last) {
                line.append("  ");
            }
        }
        return line.toString();
    }
}
