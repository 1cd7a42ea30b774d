package dev.reloadly.operator.alerts;

import static dev.reloadly.operator.alerts.MonitoringFiles.DASHBOARD;
import static dev.reloadly.operator.alerts.MonitoringFiles.PROMTOOL_TESTS;
import static dev.reloadly.operator.alerts.MonitoringFiles.RULES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alert rules and dashboard queries as the real promtool reads them: the rule file is valid,
 * every alert behaves as its unit tests say, and the unit tests catch a loosened rule. Skipped
 * where promtool is not installed.
 */
class PromtoolRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private Promtool promtool;

  @BeforeEach
  void findPromtool() {
    promtool = Promtool.onPath().orElse(null);
    assumeTrue(promtool != null, Promtool.MISSING);
  }

  @Test
  void theRuleFilePassesPromtoolCheck() throws Exception {
    Promtool.Result result = promtool.checkRules(RULES);
    assertThat(result.succeeded()).as("promtool check rules %s:%n%s", RULES, result.output())
        .isTrue();
  }

  @Test
  void everyAlertBehavesAsItsUnitTestsSay() throws Exception {
    Promtool.Result result = promtool.testRules(PROMTOOL_TESTS);
    assertThat(result.succeeded()).as("promtool test rules %s:%n%s", PROMTOOL_TESTS,
        result.output()).isTrue();
  }

  /** One deliberate choice of the rule file, undone: a regex over the file and its replacement. */
  record Loosening(String change, String pattern, String replacement, String alert) {
    @Override
    public String toString() {
      return change;
    }
  }

  static Stream<Loosening> loosenings() {
    return Stream.of(
        new Loosening("RotationDue after 30m instead of 1h", "for: 1h", "for: 30m",
            "ReloadlyCredentialRotationDue"),
        new Loosening("RotationDue also while overdue",
            "\\s+unless on \\(namespace, credential\\)\\s+max by \\(namespace, credential\\)"
                + " \\(reloadly_credential_rotation_overdue\\) == 1", "",
            "ReloadlyCredentialRotationDue"),
        new Loosening("per-credential series keep the pod label",
            "max by \\(namespace, credential\\) \\(reloadly_credential_rotation_due\\)",
            "max by (namespace, credential, pod) (reloadly_credential_rotation_due)",
            "ReloadlyCredentialRotationDue"),
        new Loosening("sandbox tokens judged as live ones", "<= 90000", "<= 0",
            "ReloadlyTokenExpiringSoon"),
        new Loosening("compliance Warn counted as failing", "result=\"Fail\"",
            "result=~\"Fail|Warn\"", "ReloadlyComplianceFailing"),
        new Loosening("OperatorDown without its absent() case",
            "absent\\(reloadly_operator_leader\\)\\s+or\\s+", "", "ReloadlyOperatorDown"),
        new Loosening("OperatorDown whenever a standby is not leading",
            "max\\(reloadly_operator_leader\\) == 0", "min(reloadly_operator_leader) == 0",
            "ReloadlyOperatorDown"),
        new Loosening("any reconcile error fires", "\\* 60 > 1", "* 60 > 0",
            "ReloadlyReconcileErrorsRising"),
        new Loosening("auth failures without a minimum count", ">= 5", ">= 0",
            "ReloadlyAuthRequestsFailing"),
        new Loosening("drift fires before the new IP could be registered",
            "(reloadly_egress_ip_not_allowlisted\\) == 1\\n\\s+)for: 5m", "$1for: 2m",
            "ReloadlyEgressAllowlistDrift"),
        new Loosening("a stalled rollout fires at once",
            "(reloadly_credential_rollout_stalled\\) == 1\\n\\s+)for: 5m", "$1for: 0m",
            "ReloadlyRolloutStalled"),
        new Loosening("not ready after 5 minutes",
            "(reloadly_credential_ready\\) == 0\\n\\s+)for: 15m", "$1for: 5m",
            "ReloadlyCredentialNotReady"),
        new Loosening("overdue fires at once",
            "(reloadly_credential_rotation_overdue\\) == 1\\n\\s+)for: 5m", "$1for: 0m",
            "ReloadlyCredentialRotationOverdue"));
  }

  /**
   * Each case undoes one deliberate choice of the rule file; the unit tests of that alert (only
   * its groups, to keep this quick) must notice, and name it. A case whose pattern no longer matches the file exactly once fails
   * too: keep it in step with the file.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("loosenings")
  void unitTestsCatchALoosenedRule(Loosening loosening, @TempDir Path dir) throws Exception {
    String rules = Files.readString(RULES);
    Pattern pattern = Pattern.compile(loosening.pattern());
    assertThat(pattern.matcher(rules).results().count())
        .as("'%s' occurs once in %s", loosening.pattern(), RULES).isEqualTo(1);
    Path testFile = dir.resolve("tests.yaml");
    YAML.writeValue(testFile.toFile(), testsOf(loosening.alert(), "rules.yaml"));
    Files.writeString(dir.resolve("rules.yaml"), rules);
    Promtool.Result unchanged = promtool.testRules(testFile);
    assertThat(unchanged.succeeded()).as("the copied tests on the unchanged rules:%n%s",
        unchanged.output()).isTrue();

    Files.writeString(dir.resolve("rules.yaml"),
        pattern.matcher(rules).replaceFirst(loosening.replacement()));
    Promtool.Result result = promtool.testRules(testFile);

    assertThat(result.succeeded())
        .as("unit tests after '%s':%n%s", loosening.change(), result.output()).isFalse();
    assertThat(result.output()).as("promtool's failures after '%s'", loosening.change())
        .contains("alertname: " + loosening.alert());
  }

  /** The promtool test groups that check {@code alert}, reading {@code ruleFile} instead. */
  private static ObjectNode testsOf(String alert, String ruleFile) throws IOException {
    ObjectNode tests = (ObjectNode) YAML.readTree(PROMTOOL_TESTS.toFile());
    ArrayNode groups = tests.arrayNode();
    for (JsonNode group : tests.path("tests")) {
      for (JsonNode eval : group.path("alert_rule_test")) {
        if (eval.path("alertname").asText().equals(alert)) {
          groups.add(group);
          break;
        }
      }
    }
    assertThat(groups).as("promtool test groups of %s", alert).isNotEmpty();
    tests.set("tests", groups);
    tests.set("rule_files", tests.arrayNode().add(ruleFile));
    return tests;
  }

  /**
   * Every dashboard query parses as PromQL once Grafana's interval variables are filled in, checked
   * by promtool as recording rules. Other variables may only appear inside label matchers.
   */
  @Test
  void everyDashboardQueryParsesAsPromql(@TempDir Path dir) throws Exception {
    ObjectNode group = JsonNodeFactory.instance.objectNode().put("name", "dashboard");
    int n = 0;
    for (JsonNode panel : GrafanaDashboardTest.panelsOf(new ObjectMapper().readTree(
        DASHBOARD.toFile()))) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText()
            .replace("$__rate_interval", "1m")
            .replace("$__interval", "1m")
            .replace("$__range", "1h");
        group.withArray("rules").addObject().put("record", "dashboard:query" + n++)
            .put("expr", expr);
      }
    }
    ObjectNode file = JsonNodeFactory.instance.objectNode();
    file.withArray("groups").add(group);
    Path rules = dir.resolve("dashboard.rules.yaml");
    YAML.writeValue(rules.toFile(), file);

    Promtool.Result result = promtool.checkRules(rules);

    assertThat(result.succeeded()).as("dashboard queries:%n%s", result.output()).isTrue();
    assertThat(result.output()).contains(n + " rules found");
  }
}
