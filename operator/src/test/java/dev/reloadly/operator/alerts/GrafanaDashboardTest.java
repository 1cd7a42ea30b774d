package dev.reloadly.operator.alerts;

import static dev.reloadly.operator.alerts.MonitoringFiles.DASHBOARD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reloadly.operator.metrics.ExportedMetrics;
import dev.reloadly.operator.metrics.MetricNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart's Grafana dashboard: it parses, every panel queries the chosen data source, and
 * every query selects metrics the operator exports. */
class GrafanaDashboardTest {
  static final String DATASOURCE = "${datasource}";
  /** Per-credential metrics: a panel on them must follow the namespace and credential pickers. */
  static final Set<String> PER_CREDENTIAL = Set.of("reloadly_credential_ready",
      "reloadly_credential_rotation_due", "reloadly_credential_rotation_overdue",
      "reloadly_credential_sealing_key_old", "reloadly_credential_rollout_stalled",
      "reloadly_credential_next_rotation_timestamp_seconds",
      "reloadly_credential_version_age_seconds", "reloadly_token_expiration_timestamp_seconds",
      "reloadly_compliance_check_result", "reloadly_compliance_score",
      "reloadly_egress_ip_not_allowlisted");

  static JsonNode dashboard;

  @BeforeAll
  static void read() throws IOException {
    dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
  }

  /** Every panel, those inside collapsed rows included, rows themselves left out. */
  static List<JsonNode> panels() {
    return panelsOf(dashboard);
  }

  static List<JsonNode> panelsOf(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        panel.path("panels").forEach(panels::add);
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  /** The query of a template variable: a string, or an object with a query field. */
  static String variableQuery(JsonNode variable) {
    JsonNode query = variable.path("query");
    return query.isObject() ? query.path("query").asText() : query.asText();
  }

  static JsonNode variable(String name) {
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("name").asText().equals(name)) {
        return variable;
      }
    }
    throw new AssertionError("no template variable " + name);
  }

  @Test
  void isAGrafanaDashboardOfTheAgreedSchema() {
    assertThat(dashboard.path("uid").asText()).isEqualTo("reloadly-credential-operator");
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.has("id")).as("a dashboard id belongs to one Grafana, not a file")
        .isFalse();
  }

  @Test
  void hasADatasourceVariableAndNamespaceAndCredentialPickers() {
    JsonNode datasource = variable("datasource");
    assertThat(datasource.path("type").asText()).isEqualTo("datasource");
    assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    for (String name : List.of("namespace", "credential")) {
      JsonNode picker = variable(name);
      assertThat(picker.path("type").asText()).isEqualTo("query");
      assertThat(picker.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
      assertThat(variableQuery(picker)).startsWith("label_values(").endsWith(", " + name + ")");
      assertThat(picker.path("includeAll").asBoolean()).isTrue();
    }
    assertThat(variableQuery(variable("credential"))).contains("namespace=~\"$namespace\"");
  }

  @Test
  void everyPanelQueriesTheChosenDatasourceWithAtLeastOneQuery() {
    SoftAssertions softly = new SoftAssertions();
    assertThat(panels()).isNotEmpty();
    for (JsonNode panel : panels()) {
      String title = panel.path("title").asText();
      softly.assertThat(title).as("a panel's title").isNotBlank();
      softly.assertThat(panel.path("datasource").path("type").asText()).as("%s datasource type", title)
          .isEqualTo("prometheus");
      softly.assertThat(panel.path("datasource").path("uid").asText()).as("%s datasource", title)
          .isEqualTo(DATASOURCE);
      softly.assertThat(panel.path("targets")).as("%s targets", title).isNotEmpty();
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        softly.assertThat(target.path("expr").asText()).as("%s expr", title).isNotBlank();
        softly.assertThat(refIds.add(target.path("refId").asText()))
            .as("%s refId %s unique", title, target.path("refId").asText()).isTrue();
        if (target.has("datasource")) {
          softly.assertThat(target.path("datasource").path("uid").asText())
              .as("%s target datasource", title).isEqualTo(DATASOURCE);
        }
      }
    }
    softly.assertAll();
  }

  @Test
  void everyMetricTheDashboardQueriesIsExported() {
    Map<String, Set<String>> usedBy = new TreeMap<>();
    for (JsonNode panel : panels()) {
      for (JsonNode target : panel.path("targets")) {
        for (String name : MetricNames.of(target.path("expr").asText())) {
          usedBy.computeIfAbsent(name, k -> new TreeSet<>()).add(panel.path("title").asText());
        }
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        for (String name : MetricNames.ofGrafanaVariableQuery(variableQuery(variable))) {
          usedBy.computeIfAbsent(name, k -> new TreeSet<>())
              .add("variable " + variable.path("name").asText());
        }
      }
    }
    Map<String, Set<String>> unknown = new TreeMap<>(usedBy);
    unknown.keySet().removeAll(ExportedMetrics.names());
    assertThat(unknown).as("metrics (and where used) missing from " + ExportedMetrics.RESOURCE)
        .isEmpty();
    assertThat(usedBy.keySet()).as("the dashboard shows every per-credential metric")
        .containsAll(PER_CREDENTIAL)
        .contains("reloadly_auth_requests_total", "reloadly_rollouts_total",
            "reloadly_reconciles_total", "reloadly_reconcile_errors_total",
            "reloadly_operator_leader", "operator_sdk_controllers_execution_reconcile_seconds_sum",
            "operator_sdk_controllers_execution_reconcile_seconds_count",
            "jvm_memory_used_bytes", "process_cpu_usage");
  }

  @Test
  void perCredentialQueriesFollowTheNamespaceAndCredentialPickers() {
    SoftAssertions softly = new SoftAssertions();
    for (JsonNode panel : panels()) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        if (MetricNames.of(expr).stream().anyMatch(PER_CREDENTIAL::contains)) {
          softly.assertThat(expr).as(panel.path("title").asText())
              .contains("namespace=~\"$namespace\"", "credential=~\"$credential\"");
        }
      }
    }
    softly.assertAll();
  }

  @Test
  void panelIdsAreUniqueAndPanelsDoNotOverlap() {
    List<JsonNode> all = new ArrayList<>();
    dashboard.path("panels").forEach(all::add);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : all) {
      assertThat(ids.add(panel.path("id").asInt())).as("id %s unique", panel.path("id")).isTrue();
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt())
          .as("%s fits 24 columns", panel.path("title").asText()).isLessThanOrEqualTo(24);
    }
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        assertThat(overlap(all.get(i).path("gridPos"), all.get(j).path("gridPos")))
            .as("%s overlaps %s", all.get(i).path("title").asText(),
                all.get(j).path("title").asText())
            .isFalse();
      }
    }
  }

  private static boolean overlap(JsonNode a, JsonNode b) {
    return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
        && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
        && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
        && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
  }
}
