package dev.reloadly.operator.schema;

import static dev.reloadly.operator.schema.CredentialDocument.sealedSource;
import static dev.reloadly.operator.schema.CredentialDocument.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The harness itself: it must find every rule, default like the API server, and fail loudly. */
class CrdSchemaTest {
  // Loaded before each class rather than in a static initialiser, so a rule that does not
  // compile is reported with its own message instead of as ExceptionInInitializerError.
  static CrdSchema crd;

  @BeforeAll
  static void loadCrd() {
    crd = CrdSchema.load();
  }
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyRuleOfTheCommittedCrdCompiles() {
    assertThat(crd.rules())
        .extracting(rule -> rule.schemaPath() + rule.fieldPath())
        .containsExactlyInAnyOrder("$.spec.source", "$.spec.rotation.maxAge",
            "$.spec.rotation.renewBefore", "$.spec.egress.allowlistedIPs",
            "$.spec.egress.destinationCIDRs", "$.spec.token.enabled");
  }

  @Test
  void apiVersionComesFromTheCrd() {
    assertThat(crd.apiVersion()).isEqualTo("security.reloadly.dev/v1alpha1");
  }

  @Test
  void defaultsFillOnlyObjectsThatArePresent() {
    JsonNode withoutRotation = valid().remove("spec.rotation").remove("spec.consumers").tree();

    JsonNode defaulted = crd.withDefaults(withoutRotation);

    assertThat(defaulted.path("spec").has("rotation")).isFalse();
    assertThat(defaulted.path("spec").has("consumers")).isFalse();
    assertThat(defaulted.path("spec").path("source").path("secretRef").path("clientIdKey").asText())
        .isEqualTo("client_id");
  }

  @Test
  void defaultsFillEmptyObjectsAndLeaveTheInputAlone() {
    JsonNode document = valid().set("spec.rotation", Map.of()).set("spec.consumers", Map.of())
        .tree();

    JsonNode defaulted = crd.withDefaults(document);

    assertThat(defaulted.at("/spec/rotation")).isEqualTo(JSON.valueToTree(
        Map.of("maxAge", "90d", "renewBefore", "14d", "gracePeriod", "1h")));
    assertThat(defaulted.at("/spec/consumers/maxConcurrent").asInt()).isEqualTo(1);
    assertThat(defaulted.at("/spec/consumers/strategy").asText()).isEqualTo("restart");
    assertThat(document.at("/spec/rotation").size()).isZero();
  }

  @Test
  void nullOfAFieldWithADefaultBecomesTheDefault() {
    JsonNode document = valid().set("spec.rotation.maxAge", null).tree();

    assertThat(crd.withDefaults(document).at("/spec/rotation/maxAge").asText()).isEqualTo("90d");
  }

  @Test
  void blockingOpenApiFindingSkipsTheRulesAsTheApiServerDoes() {
    JsonNode document = valid().set("spec.environment", "prod")
        .set("spec.source.sealed", sealedSource()).tree();

    Verdict verdict = crd.validate(document);

    assertThat(verdict.rules()).containsExactly(CrdSchema.RULES_NOT_CHECKED);
  }

  @Test
  void ruleThatDoesNotCompileFailsLoading() {
    JsonNode schema = objectSchema("self.a.endsWith(", "never");

    assertThatThrownBy(() -> new CrdSchema("test/v1", schema))
        .isInstanceOf(CelRules.RuleFailure.class)
        .hasMessageContaining("$: self.a.endsWith(");
  }

  @Test
  void ruleThatErrorsOnAValidObjectFailsTheTest() {
    CrdSchema positiveA =
        new CrdSchema("test/v1", objectSchema("int(self.a) > 0", "a must be positive"));

    assertThatThrownBy(() -> positiveA.validate(JSON.valueToTree(Map.of("a", "abc"))))
        .isInstanceOf(CelRules.RuleFailure.class)
        .hasMessageContaining("int(self.a) > 0");
  }

  @Test
  void ruleThatIsFalseYieldsItsMessage() {
    CrdSchema positiveA =
        new CrdSchema("test/v1", objectSchema("int(self.a) > 0", "a must be positive"));

    assertThat(positiveA.validate(JSON.valueToTree(Map.of("a", "-3"))).rules())
        .containsExactly("[rule] $: a must be positive");
    assertThat(positiveA.validate(JSON.valueToTree(Map.of("a", "3"))).accepted()).isTrue();
  }

  @Test
  void ruleTheWalkCannotReachFailsLoading() {
    JsonNode schema = JSON.valueToTree(Map.of("type", "object", "anyOf", List.of(
        Map.of("x-kubernetes-validations", List.of(Map.of("rule", "true"))))));

    assertThatThrownBy(() -> new CrdSchema("test/v1", schema))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("would skip some rules");
  }

  @Test
  void keywordTheHarnessDoesNotModelFailsLoading() {
    JsonNode schema = JSON.valueToTree(Map.of("type", "object", "x-kubernetes-something", true));

    assertThatThrownBy(() -> new CrdSchema("test/v1", schema).validate(JSON.createObjectNode()))
        .hasMessageContaining("x-kubernetes-something");
  }

  @Test
  void celSeesPrunedObjectsAndSchemaTypedNumbers() {
    JsonNode schema = JSON.valueToTree(Map.of("type", "object", "properties", Map.of(
        "count", Map.of("type", "integer"),
        "ratio", Map.of("type", "number"),
        "names", Map.of("type", "array", "items", Map.of("type", "string")))));
    JsonNode value = JSON.valueToTree(
        Map.of("count", 2, "ratio", 1, "names", List.of("a"), "undeclared", true));

    assertThat(CelRules.toCel(value, schema))
        .isEqualTo(Map.of("count", 2L, "ratio", 1.0d, "names", List.of("a")));
  }

  private static JsonNode objectSchema(String rule, String message) {
    return JSON.valueToTree(Map.of(
        "type", "object",
        "properties", Map.of("a", Map.of("type", "string")),
        "x-kubernetes-validations", List.of(Map.of("rule", rule, "message", message))));
  }
}
