package dev.reloadly.operator.chart;

import static dev.reloadly.operator.chart.ChartValues.DEFAULTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * values.schema.json turns a typo or a wrong value into an install error instead of a silently
 * ignored setting; the templates stop with a clear message where a value is required.
 */
class ChartValuesSchemaTest {
  static final String SCHEMA_ERROR = "values don't meet the specifications of the schema";

  @TempDir Path work;
  private HelmChart chart;

  @BeforeEach
  void chart() {
    chart = new HelmChart(work);
  }

  @Test
  void aMisspeltKeyFailsAtAnyLevel() {
    assertThat(chart.templateFailure(DEFAULTS + "replicaCont: 3\n"))
        .contains(SCHEMA_ERROR, "'replicaCont' not allowed");
    assertThat(chart.templateFailure(DEFAULTS + "metrics: {serviceMonitor: {enabeld: true}}\n"))
        .contains(SCHEMA_ERROR, "/metrics/serviceMonitor", "'enabeld' not allowed");
  }

  @Test
  void aValueOutsideItsEnumOrOfTheWrongTypeFails() {
    assertThat(chart.templateFailure(DEFAULTS + "logFormat: xml\n"))
        .contains(SCHEMA_ERROR, "/logFormat");
    assertThat(chart.templateFailure(DEFAULTS + "replicaCount: two\n"))
        .contains(SCHEMA_ERROR, "/replicaCount", "want integer");
    assertThat(chart.templateFailure(DEFAULTS + "kek: {provider: vault}\n"))
        .contains(SCHEMA_ERROR, "/kek/provider");
    assertThat(chart.templateFailure(DEFAULTS + "proxy: http://proxy:3128\n"))
        .contains(SCHEMA_ERROR, "/proxy");
    assertThat(chart.templateFailure(DEFAULTS + "maxConcurrentRollouts: 0\n"))
        .contains(SCHEMA_ERROR, "/maxConcurrentRollouts");
  }

  @Test
  void kmsV2NeedsItsSocket() {
    assertThat(chart.templateFailure(DEFAULTS + "kek: {provider: kms-v2}\n"))
        .contains(SCHEMA_ERROR, "/kek/kmsSocket");
  }

  @Test
  void theImageRepositoryIsRequiredWithAMessageSayingWhatToDo() {
    assertThat(chart.templateFailure("{}\n")).contains("image.repository is required: build the"
        + " image (see README) and push it to your registry");
  }

  @Test
  void moreThanOneReplicaNeedsLeaderElection() {
    assertThat(chart.templateFailure(DEFAULTS + "leaderElection: {enabled: false}\n"))
        .contains("replicaCount above 1 needs leaderElection.enabled");
  }

  @Test
  void everyObjectOfTheSchemaClosesItsKeys() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(
        HelmChart.DIR.resolve("values.schema.json").toFile());
    assertThat(schema.path("$schema").asText())
        .isEqualTo("http://json-schema.org/draft-07/schema#");
    List<String> open = new ArrayList<>();
    collectOpenObjects(schema, "", open);
    assertThat(open).as("objects with properties but without additionalProperties: false")
        .isEmpty();
  }

  /**
   * Objects whose keys the chart defines (they list properties) must take no others. Follows the
   * values' own structure (properties and items), not the if/then conditions.
   */
  private static void collectOpenObjects(JsonNode node, String path, List<String> open) {
    JsonNode additional = node.path("additionalProperties");
    if (node.has("properties") && !(additional.isBoolean() && !additional.asBoolean())) {
      open.add(path.isEmpty() ? "(root)" : path);
    }
    node.path("properties").fields().forEachRemaining(
        field -> collectOpenObjects(field.getValue(), path + "." + field.getKey(), open));
    if (node.has("items")) {
      collectOpenObjects(node.get("items"), path + "[]", open);
    }
  }
}
