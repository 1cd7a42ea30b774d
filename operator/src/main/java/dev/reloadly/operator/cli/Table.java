package dev.reloadly.operator.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Columns as kubectl prints them: upper-case headers, each column as wide as its widest cell plus
 * three spaces, the last column unpadded, an empty cell shown as {@code <none>}.
 */
final class Table {
  private static final String GAP = "   ";
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... headers) {
    this.columns = headers.length;
    rows.add(headers);
  }

  private Table(int columns) {
    this.columns = columns;
  }

  /** Key and value blocks ("Name:  shop") have no header row. */
  static Table headless(int columns) {
    return new Table(columns);
  }

  Table row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(cells.length + " cells for " + columns + " columns");
    }
    rows.add(Arrays.stream(cells).map(Table::cell).toArray(String[]::new));
    return this;
  }

  void print(PrintWriter out, String indent) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length())).append(GAP);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String cell(Object value) {
    if (value == null) {
      return "<none>";
    }
    // One line per row, whatever a message holds.
    String text = value.toString().replaceAll("\\s+", " ").strip();
    return text.isEmpty() ? "<none>" : text;
  }
}
