package dev.reloadly.operator.alerts;

import static dev.reloadly.operator.alerts.MonitoringFiles.PROMTOOL_TESTS;
import static dev.reloadly.operator.alerts.MonitoringFiles.RULES;
import static dev.reloadly.operator.alerts.MonitoringFiles.RUNBOOKS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.reloadly.operator.metrics.ExportedMetrics;
import dev.reloadly.operator.metrics.MetricNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The chart's alert rules, read as data: the agreed alerts, each with what a person needs when it
 * fires, on metrics the operator exports, and each covered by promtool unit tests (which
 * {@link PromtoolRulesTest} runs).
 */
class AlertRulesTest {
  static final Set<String> ALERTS = Set.of("ReloadlyCredentialRotationDue",
      "ReloadlyCredentialRotationOverdue", "ReloadlyTokenExpiringSoon",
      "ReloadlyComplianceFailing", "ReloadlyEgressAllowlistDrift", "ReloadlyRolloutStalled",
      "ReloadlyOperatorDown", "ReloadlyReconcileErrorsRising", "ReloadlyCredentialNotReady",
      "ReloadlyAuthRequestsFailing");
  /** Alerts on operator-wide series: there is no credential to name. */
  static final Set<String> OPERATOR_WIDE = Set.of("ReloadlyOperatorDown",
      "ReloadlyReconcileErrorsRising", "ReloadlyAuthRequestsFailing");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One rule of the file: an alert or a recording rule. */
  record Rule(String alert, String record, String expr, JsonNode node) {
    boolean isAlert() {
      return alert != null;
    }
  }

  static List<Rule> rules() throws IOException {
    List<Rule> rules = new ArrayList<>();
    for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.add(new Rule(rule.path("alert").textValue(), rule.path("record").textValue(),
            rule.path("expr").asText(), rule));
      }
    }
    return rules;
  }

  static List<Rule> alerts() throws IOException {
    return rules().stream().filter(Rule::isAlert).toList();
  }

  @Test
  void theRuleFileHoldsExactlyTheAgreedAlerts() throws IOException {
    assertThat(alerts()).extracting(Rule::alert).containsExactlyInAnyOrderElementsOf(ALERTS);
  }

  @Test
  void everyAlertHasSeveritySummaryDescriptionAndItsRunbook() throws IOException {
    SoftAssertions softly = new SoftAssertions();
    for (Rule rule : alerts()) {
      JsonNode annotations = rule.node().path("annotations");
      softly.assertThat(rule.node().path("labels").path("severity").asText())
          .as("%s severity", rule.alert()).isIn("warning", "critical");
      softly.assertThat(annotations.path("summary").asText())
          .as("%s summary", rule.alert()).isNotBlank();
      softly.assertThat(annotations.path("description").asText())
          .as("%s description", rule.alert()).isNotBlank();
      softly.assertThat(annotations.path("runbook_url").asText())
          .as("%s runbook_url", rule.alert())
          .isEqualTo(RUNBOOKS + "#" + rule.alert().toLowerCase(Locale.ROOT));
      softly.assertThat(rule.node().path("for").asText())
          .as("%s for: (a deliberate delay, explained in the file)", rule.alert()).isNotBlank();
    }
    softly.assertAll();
  }

  @Test
  void perCredentialAlertsNameTheirNamespaceAndCredential() throws IOException {
    SoftAssertions softly = new SoftAssertions();
    for (Rule rule : alerts()) {
      if (OPERATOR_WIDE.contains(rule.alert())) {
        continue;
      }
      for (String annotation : List.of("summary", "description")) {
        softly.assertThat(rule.node().path("annotations").path(annotation).asText())
            .as("%s %s", rule.alert(), annotation)
            .contains("{{ $labels.namespace }}/{{ $labels.credential }}");
      }
    }
    softly.assertAll();
  }

  /** The file says why each threshold and delay was chosen: a comment right above each alert. */
  @Test
  void everyAlertIsExplainedByTheCommentAboveIt() throws IOException {
    List<String> lines = Files.readAllLines(RULES);
    List<String> unexplained = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("- alert:") && !(i > 0 && lines.get(i - 1).strip().startsWith("#"))) {
        unexplained.add(line);
      }
    }
    assertThat(unexplained).as("alerts without a comment above them").isEmpty();
  }

  @Test
  void everyMetricTheRulesSelectIsExportedOrRecordedInTheFile() throws IOException {
    Set<String> exported = ExportedMetrics.names();
    Set<String> recorded = new TreeSet<>();
    SoftAssertions softly = new SoftAssertions();
    for (Rule rule : rules()) {
      Set<String> used = MetricNames.of(rule.expr());
      softly.assertThat(used).as("metrics of %s", rule.alert() != null ? rule.alert() : rule.record())
          .isNotEmpty();
      used.removeAll(recorded);
      softly.assertThat(exported)
          .as("%s selects metrics missing from %s (or recorded only below it)",
              rule.alert() != null ? rule.alert() : rule.record(), ExportedMetrics.RESOURCE)
          .containsAll(used);
      if (rule.record() != null) {
        recorded.add(rule.record());
      }
    }
    softly.assertAll();
  }

  @Test
  void everyAlertHasPromtoolCasesThatFireAndCasesThatDoNot() throws IOException {
    Set<String> fires = new TreeSet<>();
    Set<String> staysQuiet = new TreeSet<>();
    for (JsonNode group : YAML.readTree(PROMTOOL_TESTS.toFile()).path("tests")) {
      for (JsonNode eval : group.path("alert_rule_test")) {
        (eval.path("exp_alerts").isEmpty() ? staysQuiet : fires)
            .add(eval.path("alertname").asText());
      }
    }
    assertThat(fires).as("alerts a promtool test makes fire").containsExactlyInAnyOrderElementsOf(ALERTS);
    assertThat(staysQuiet).as("alerts a promtool test expects silent at some time")
        .containsExactlyInAnyOrderElementsOf(ALERTS);
  }

  @Test
  void thePromtoolTestsReadTheChartsRuleFile() throws IOException {
    JsonNode ruleFiles = YAML.readTree(PROMTOOL_TESTS.toFile()).path("rule_files");
    assertThat(ruleFiles).hasSize(1);
    Path resolved = PROMTOOL_TESTS.getParent().resolve(ruleFiles.get(0).asText()).normalize();
    assertThat(resolved.toAbsolutePath()).isEqualTo(RULES.toAbsolutePath().normalize());
  }
}
