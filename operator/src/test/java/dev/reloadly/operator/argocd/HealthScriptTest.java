package dev.reloadly.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.LuaError;

/**
 * docs/argocd/health.lua on every committed fixture (credentials from real reconciles, see
 * {@link HealthFixturesTest}), in a Lua sandbox built like Argo CD's; and the argocd-cm snippet
 * and README that ship it.
 */
class HealthScriptTest {
  static final Path DOCS = Path.of(System.getProperty("project.root", ".."))
      .resolve("docs/argocd");
  static final String CM_KEY =
      "resource.customizations.health.security.reloadly.dev_ReloadlyCredential";

  /** One row per fixture: the health Argo CD shows, and what its message must say. */
  record Row(String fixture, String health, String says) {
    @Override
    public String toString() {
      return fixture;
    }
  }

  static final List<Row> ROWS = List.of(
      new Row("fresh", "Progressing", "Waiting for the operator: no status yet"),
      new Row("stale-generation", "Progressing",
          "Waiting for the operator to observe generation 2 (status describes generation 1)"),
      new Row("ready", "Healthy", "target Secret ready-reloadly serves version"),
      new Row("rotation-due", "Healthy", "Rotation due: version"),
      new Row("invalid-new-version", "Healthy",
          "New version not accepted (InvalidCredentials): Reloadly rejected version"),
      new Row("compromised", "Degraded", "Compromised: a compromised version was withdrawn"),
      new Row("compliance-blocked", "Degraded", "Compliance blocked: not released"),
      new Row("rotation-overdue", "Degraded", "Rotation overdue: version"),
      new Row("rollout-stalled", "Degraded", "Rollout stalled: Deployment/api stalled"));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern README_ROW =
      Pattern.compile("^\\| [^|]+ \\| `([a-z-]+)` \\| (\\w+) \\| `(.*)` \\|$");

  static Stream<Row> rows() {
    return ROWS.stream();
  }

  @ParameterizedTest
  @MethodSource("rows")
  void eachFixtureGetsItsHealthAndSaysWhy(Row row) {
    ArgoCdLua.Health health = run(HealthFixtures.fixture(row.fixture()));

    assertThat(health.status()).as(health.message()).isEqualTo(row.health());
    assertThat(health.message()).isNotBlank().contains(row.says());
  }

  @Test
  void everyFixtureHasARowAndEveryRowAFixture() {
    assertThat(HealthFixtures.states())
        .as("fixtures in %s; a new one needs a row in HealthScriptTest.ROWS and in"
            + " docs/argocd/README.md", HealthFixtures.DIR)
        .containsExactlyInAnyOrderElementsOf(ROWS.stream().map(Row::fixture).toList());
  }

  @Test
  void theMostImportantProblemLeadsAndTheOthersAreNamed() {
    // No reconcile shows both at once: an overdue credential reported compromised afterwards.
    ObjectNode both = (ObjectNode) HealthFixtures.fixture("rotation-overdue");
    for (JsonNode c : both.path("status").path("conditions")) {
      if (c.path("type").asText().equals("CredentialCompromised")) {
        ((ObjectNode) c).put("status", "True").put("reason", "Reported")
            .put("message", "version reported compromised");
      }
    }

    ArgoCdLua.Health health = run(both);

    assertThat(health.status()).isEqualTo("Degraded");
    assertThat(health.message()).isEqualTo(
        "Compromised: version reported compromised (also: rotation overdue)");
  }

  @Test
  void aStatusWithoutReadyOrMessagesIsProgressingAndStillSaysWhy() throws IOException {
    JsonNode noReady = YAML.readTree("""
        metadata: {name: shop, generation: 3}
        status: {observedGeneration: 3, conditions: [{type: SourceReady, status: "True"}]}
        """);
    JsonNode bareReadyFalse = YAML.readTree("""
        metadata: {name: shop, generation: 3}
        status: {observedGeneration: 3, conditions: [{type: Ready, status: "False"}]}
        """);

    assertThat(run(noReady)).isEqualTo(new ArgoCdLua.Health("Progressing",
        "Waiting for the operator to report Ready"));
    assertThat(run(bareReadyFalse)).isEqualTo(new ArgoCdLua.Health("Degraded",
        "Not ready (no reason given): see the Ready condition"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "return {status = 'Healthy', message = string.format('%d', 1)}",
      "return {status = 'Healthy', message = ('ready'):upper()}",
      "return {status = 'Healthy', message = 'at ' .. os.time()}",
      "return {status = 'Healthy', message = 'max ' .. math.max(1, 2)}"})
  void aScriptThatNeedsMoreThanArgoCdOpensFails(String script) {
    assertThatThrownBy(() -> ArgoCdLua.health(script, HealthFixtures.fixture("ready")))
        .isInstanceOf(LuaError.class);
  }

  @Test
  void theSandboxHasWhatArgoCdOpensWithoutUseOpenLibs() {
    // The base and table libraries (and package) are there, so the sandbox is no stricter than
    // Argo CD's where it matters; health.lua needs none of them anyway.
    String script = """
        local names = {}
        for _, c in ipairs(obj.status.conditions) do table.insert(names, c.type) end
        return {status = 'Healthy', message = tostring(#names) .. ' ' .. type(require)}
        """;

    assertThat(ArgoCdLua.health(script, HealthFixtures.fixture("ready")).message())
        .isEqualTo("9 function");
  }

  @Test
  void anUnknownStatusBecomesUnknownAsInArgoCd() {
    assertThat(ArgoCdLua.health("return {status = 'Fine', message = 'x'}",
        HealthFixtures.fixture("ready")))
        .isEqualTo(new ArgoCdLua.Health("Unknown", "Lua returned an invalid health status"));
  }

  @Test
  void theArgocdCmSnippetEmbedsHealthLuaExactly() throws IOException {
    JsonNode cm = YAML.readTree(DOCS.resolve("argocd-cm.yaml").toFile());

    assertThat(cm.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(cm.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
    assertThat(cm.path("data").path(CM_KEY).asText())
        .as("docs/argocd/argocd-cm.yaml must hold docs/argocd/health.lua under data.%s as a"
            + " literal block (|), indented by 4 spaces", CM_KEY)
        .isEqualTo(script());
  }

  @Test
  void theReadmeTableHasOneRowPerFixtureWithTheScriptsMessage() throws IOException {
    Map<String, String[]> table = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DOCS.resolve("README.md"))) {
      Matcher m = README_ROW.matcher(line);
      if (m.matches()) {
        table.put(m.group(1), new String[] {m.group(2), m.group(3)});
      }
    }

    assertThat(table.keySet()).as("fixtures in the table of docs/argocd/README.md")
        .containsExactlyElementsOf(ROWS.stream().map(Row::fixture).toList());
    for (Row row : ROWS) {
      ArgoCdLua.Health health = run(HealthFixtures.fixture(row.fixture()));
      assertThat(table.get(row.fixture()))
          .as("README row of %s: health, then health.lua's message on the fixture",
              row.fixture())
          .containsExactly(row.health(), health.message());
    }
  }

  private static ArgoCdLua.Health run(JsonNode resource) {
    return ArgoCdLua.health(script(), resource);
  }

  private static String script() {
    try {
      return Files.readString(DOCS.resolve("health.lua"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
