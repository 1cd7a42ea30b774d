package dev.reloadly.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The credentials under src/test/resources/argocd/, one per state the health check tells apart:
 * captured from a real reconcile, with what changes from run to run (instants, fingerprints, the
 * compliance score) replaced by placeholders, so a fixture changes only when the operator's status
 * does.
 */
final class HealthFixtures {
  static final Path DIR = Path.of(System.getProperty("project.root", ".."))
      .resolve("operator/src/test/resources/argocd");
  static final String REGENERATE = "run ./mvnw -B -pl operator test -Dtest=HealthFixturesTest"
      + " -DupdateFixtures=true, check the diff, and commit operator/src/test/resources/argocd/";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final Pattern INSTANT = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
  private static final Pattern DATE = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b");
  private static final Pattern FINGERPRINT = Pattern.compile("hmac-sha256:[0-9a-f]{32}");
  /**
   * The compliance score depends on whether the build carries its SBOM (DependenciesScanned is
   * skipped without it, e.g. in an IDE), not on the state.
   */
  private static final Pattern SCORE = Pattern.compile("score \\d+/\\d+");

  private HealthFixtures() {}

  /**
   * What the health check reads of a credential as the API server serves it, normalised:
   * apiVersion, kind, metadata.name, namespace and generation, status.observedGeneration and
   * status.conditions. The rest of the status (versions, rollout, compliance checks) is left out:
   * the script does not read it, and it holds values that change with no change of health (a
   * token's epoch, the SBOM's library count). So is server-set metadata (uid, resourceVersion,
   * managedFields, creationTimestamp).
   */
  static ObjectNode capture(GenericKubernetesResource credential) {
    JsonNode full = JSON.valueToTree(credential);
    ObjectNode captured = JSON.createObjectNode();
    captured.put("apiVersion", full.path("apiVersion").asText());
    captured.put("kind", full.path("kind").asText());
    ObjectNode metadata = captured.putObject("metadata");
    for (String field : List.of("name", "namespace", "generation")) {
      metadata.set(field, full.path("metadata").path(field));
    }
    JsonNode status = full.path("status");
    if (status.isObject() && !status.isEmpty()) {
      ObjectNode kept = captured.putObject("status");
      for (String field : List.of("observedGeneration", "conditions")) {
        if (status.has(field)) {
          kept.set(field, status.get(field));
        }
      }
    }
    return (ObjectNode) normalise(captured, new LinkedHashMap<>());
  }

  /**
   * Compares the credential in {@code state} with its committed fixture; with
   * {@code -DupdateFixtures=true} writes the fixture first.
   */
  static void check(String state, GenericKubernetesResource credential) {
    String captured = text(capture(credential));
    Path file = file(state);
    if (Boolean.getBoolean("updateFixtures")) {
      write(file, captured);
    }
    assertThat(file).as("no fixture for state %s: %s", state, REGENERATE).exists();
    assertThat(read(file)).as("fixture %s is stale: %s", DIR.relativize(file), REGENERATE)
        .isEqualTo(captured);
  }

  /** The states with a committed fixture, by file name. */
  static List<String> states() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode fixture(String state) {
    try {
      return JSON.readTree(read(file(state)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path file(String state) {
    return DIR.resolve(state + ".json");
  }

  /**
   * Replaces in every text what differs between runs: instants and dates by {@code <time>} and
   * {@code <date>}, each fingerprint by {@code hmac-sha256:<fingerprint-N>} (numbered in order of
   * appearance, so two versions stay apart), and the compliance score.
   */
  private static JsonNode normalise(JsonNode node, Map<String, Integer> fingerprints) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        field.setValue(normalise(field.getValue(), fingerprints));
      }
      return object;
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, normalise(array.get(i), fingerprints));
      }
      return array;
    }
    if (node.isTextual()) {
      String text = INSTANT.matcher(node.asText()).replaceAll("<time>");
      text = DATE.matcher(text).replaceAll("<date>");
      Matcher m = FINGERPRINT.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        int n = fingerprints.computeIfAbsent(m.group(), k -> fingerprints.size() + 1);
        m.appendReplacement(out, "hmac-sha256:<fingerprint-" + n + ">");
      }
      m.appendTail(out);
      text = SCORE.matcher(out.toString()).replaceAll("score <n>/<m>");
      return TextNode.valueOf(text);
    }
    return node;
  }

  private static String text(JsonNode node) {
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
