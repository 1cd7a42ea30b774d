package dev.reloadly.operator.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names the operator exports, from {@code metrics/exported-metrics.txt} on the test
 * classpath: the one list that alert rules, the dashboard and a live scrape are checked against.
 */
public final class ExportedMetrics {
  public static final String RESOURCE = "/metrics/exported-metrics.txt";

  private ExportedMetrics() {}

  /** The names, one a line in the file; blank lines and '#' comments are left out. */
  public static Set<String> names() {
    try (InputStream in = ExportedMetrics.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the test classpath");
      }
      Set<String> names = new TreeSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int comment = line.indexOf('#');
        String name = (comment < 0 ? line : line.substring(0, comment)).strip();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
