package dev.reloadly.operator.alerts;

import java.nio.file.Path;

/** Where the chart's monitoring files and their promtool unit tests live in the repository. */
final class MonitoringFiles {
  static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  static final Path CHART_FILES = ROOT.resolve("charts/reloadly-credential-operator/files");
  /** A plain Prometheus rule file; the chart wraps it into a PrometheusRule's spec. */
  static final Path RULES = CHART_FILES.resolve("reloadly-alerts.rules.yaml");
  static final Path DASHBOARD = CHART_FILES.resolve("reloadly-dashboard.json");
  /**
   * The promtool unit tests, read from the source tree rather than target/test-classes: their
   * rule_files path is relative to this file's folder.
   */
  static final Path PROMTOOL_TESTS =
      ROOT.resolve("operator/src/test/resources/alerts/reloadly-alerts.test.yaml");
  static final String RUNBOOKS =
      "https://github.com/reloadly/reloadly-credential-operator/blob/main/docs/operations.md";

  private MonitoringFiles() {}
}
