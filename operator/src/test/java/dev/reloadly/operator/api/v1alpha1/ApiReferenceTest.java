package dev.reloadly.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/api.md is rendered from the committed CRD; run with {@code -DupdateDocs=true}
 * to regenerate it after changing the API (and regenerating the CRD).
 */
class ApiReferenceTest {
  static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  static final Path REFERENCE = ROOT.resolve("docs/reference/api.md");
  static final String CRD = "crds/" + CrdUpToDateTest.FILE;

  @Test
  void committedReferenceMatchesTheCrd() throws IOException {
    String rendered = render();
    if (Boolean.getBoolean("updateDocs")) {
      Files.createDirectories(REFERENCE.getParent());
      Files.writeString(REFERENCE, rendered);
    }
    String stale = "docs/reference/api.md is stale: run " + ApiReference.REGENERATE
        + " and commit docs/reference/";
    assertThat(REFERENCE).as(stale).exists();
    assertThat(Files.readString(REFERENCE)).as(stale).isEqualTo(rendered);
  }

  @Test
  void renderingIsDeterministic() throws IOException {
    assertThat(render()).isEqualTo(render());
  }

  @Test
  void everyColumnAndEveryFieldAtEveryDepthHasARow() throws IOException {
    Map<String, String> sections = sections(render());
    JsonNode version = crd().at("/spec/versions/0");
    version.path("additionalPrinterColumns").forEach(c ->
        assertThat(sections.get("Printer columns")).contains("| " + c.path("name").asText() + " | "));
    JsonNode root = version.at("/schema/openAPIV3Schema/properties");
    List<String> missing = new ArrayList<>();
    rows("spec", root.path("spec"), sections, missing);
    rows("status", root.path("status"), sections, missing);
    assertThat(missing).as("fields without a row in their object's section").isEmpty();
  }

  @Test
  void cellsShowTypesDefaultsAndConstraints() throws IOException {
    assertThat(render())
        .contains("| `currentVersion` | string |", "| `consumerCount` | integer |")
        .contains("| `kind` | string | yes |  | one of `DaemonSet`, `Deployment`, `Rollout`,"
            + " `StatefulSet` |")
        .contains("| `maxConcurrent` | integer |  | `1` | minimum 1<br>maximum 100 |")
        .contains("| rule: exactly one of source.sealed and source.secretRef must be set |")
        .contains("| `allowlistedIPs` | []string |  |  | maxItems 64<br>items: maxLength 43 |")
        .contains("| `selector` | [object](#specconsumersselector) |")
        .contains("| `workloads` | [[]object](#specconsumersworkloads) |")
        .contains("| `matchLabels` | map[string]string |")
        .contains("| `port` | int-or-string |")
        .contains("pattern `^([0-9]{1,5}d\\|([0-9]{1,7}(ms\\|s\\|m\\|h))+)$`")
        .contains("(reported at `.token.enabled`)");
  }

  /** Checks each field of the object at {@code path} has a row in its section, then below. */
  private static void rows(String path, JsonNode schema, Map<String, String> sections,
      List<String> missing) {
    String section = sections.getOrDefault(path, "");
    if (section.isEmpty()) {
      missing.add(path + " (no section)");
    }
    for (Map.Entry<String, JsonNode> field : schema.path("properties").properties()) {
      if (!section.contains("\n| `" + field.getKey() + "` | ")) {
        missing.add(path + "." + field.getKey());
      }
      JsonNode value = field.getValue();
      boolean list = value.path("type").asText().equals("array");
      JsonNode object = list ? value.path("items") : value;
      if (object.path("properties").isObject()) {
        rows(path + "." + field.getKey() + (list ? "[]" : ""), object, sections, missing);
      }
    }
  }

  /** The rendered text under each heading, by heading. */
  private static Map<String, String> sections(String rendered) {
    Map<String, String> sections = new LinkedHashMap<>();
    String heading = "";
    StringBuilder text = new StringBuilder();
    for (String line : rendered.split("\n")) {
      if (line.startsWith("## ") || line.startsWith("### ")) {
        sections.put(heading, text.toString());
        heading = line.substring(line.indexOf(' ') + 1);
        text.setLength(0);
      }
      text.append(line).append('\n');
    }
    sections.put(heading, text.toString());
    return sections;
  }

  @Test
  void anchorsFollowGitHubsHeadingRule() {
    assertThat(ApiReference.anchorOf("spec.egress.additionalEgress[].to[]"))
        .isEqualTo("specegressadditionalegressto");
    assertThat(ApiReference.anchorOf("Printer columns")).isEqualTo("printer-columns");
  }

  @Test
  void placeholdersInDescriptionsAreNotTakenForHtml() throws IOException {
    assertThat(render()).contains("Default: &lt;credential&gt;-reloadly.")
        .doesNotContain("<credential>");
  }

  private static String render() throws IOException {
    return ApiReference.render(crd(), CRD);
  }

  private static JsonNode crd() throws IOException {
    return new YAMLMapper().readTree(ROOT.resolve(CRD).toFile());
  }
}
