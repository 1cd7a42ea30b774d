package dev.reloadly.operator.schema;

import static dev.reloadly.operator.schema.CredentialDocument.sealedSource;
import static dev.reloadly.operator.schema.CredentialDocument.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Specs the CRD must refuse, each one change away from a valid base, and edge cases it must
 * accept. A rule case also checks that the OpenAPI part let the value through, so the rule, not a
 * pattern, is what refuses it.
 */
class CrdRulesRejectBadSpecsTest {
  // Loaded before each class rather than in a static initialiser, so a rule that does not
  // compile is reported with its own message instead of as ExceptionInInitializerError.
  static CrdSchema crd;

  @BeforeAll
  static void loadCrd() {
    crd = CrdSchema.load();
  }

  static final String ONE_SOURCE = "[rule] $.spec.source: exactly one of source.sealed and"
      + " source.secretRef must be set";
  static final String MAX_AGE = "[rule] $.spec.rotation.maxAge: rotation.maxAge must be more than 0"
      + " and at most 90 days";
  static final String RENEW_BEFORE = "[rule] $.spec.rotation.renewBefore: rotation.renewBefore must"
      + " be shorter than rotation.maxAge";
  static final String CIDR = "[rule] $.spec.egress.allowlistedIPs: egress.allowlistedIPs must hold"
      + " IPv4 or IPv6 CIDRs";

  static final String DESTINATION_CIDR = "[rule] $.spec.egress.destinationCIDRs:"
      + " egress.destinationCIDRs must hold IPv4 or IPv6 CIDRs";

  static final String TOKEN_MODE = "[rule] $.spec.token.enabled: token.enabled is false, so"
      + " target.mode must be credentials";

  static Stream<Arguments> refusedByRules() {
    return Stream.of(
        refused("tokens disabled but mode token",
            valid().set("spec.token.enabled", false).set("spec.target.mode", "token"), TOKEN_MODE),
        refused("tokens disabled and no target mode (default token)",
            valid().set("spec.token.enabled", false), TOKEN_MODE),
        refused("both sealed and secretRef", valid().set("spec.source.sealed", sealedSource()),
            ONE_SOURCE),
        refused("neither sealed nor secretRef", valid().set("spec.source", Map.of()),
            ONE_SOURCE),
        refused("maxAge 91d", valid().set("spec.rotation.maxAge", "91d"), MAX_AGE),
        refused("maxAge 2161h", valid().set("spec.rotation.maxAge", "2161h"), MAX_AGE),
        refused("maxAge 0d", valid().set("spec.rotation.maxAge", "0d"), MAX_AGE),
        refused("maxAge 1h30m over 0 but renewBefore 14d longer",
            valid().set("spec.rotation.maxAge", "1h30m"), RENEW_BEFORE),
        refused("renewBefore 90d equal to maxAge 90d",
            valid().set("spec.rotation.renewBefore", "90d"), RENEW_BEFORE),
        refused("renewBefore 100d against the default maxAge",
            valid().remove("spec.rotation.maxAge").set("spec.rotation.renewBefore", "100d"),
            RENEW_BEFORE),
        refused("allowlistedIPs not-an-ip",
            valid().set("spec.egress.allowlistedIPs", List.of("not-an-ip")), CIDR),
        refused("allowlistedIPs with one bad entry among good ones",
            valid().set("spec.egress.allowlistedIPs", List.of("203.0.113.7/32", "203.0.113.8")),
            CIDR),
        // Found by SpecFuzzTest: the operator parses destinationCIDRs as CIDRs, and a value the
        // schema let through stopped the credential with InvalidSpec.
        refused("destinationCIDRs without a prefix",
            valid().set("spec.egress.destinationCIDRs", List.of("2001:db8::")), DESTINATION_CIDR),
        refused("destinationCIDRs not an address",
            valid().set("spec.egress.destinationCIDRs", List.of("reloadly")), DESTINATION_CIDR));
  }

  static Stream<Arguments> refusedByOpenApi() {
    return Stream.of(
        refused("environment prod", valid().set("spec.environment", "prod"),
            "[enum] $.spec.environment: does not have a value in the enumeration"),
        refused("product missing", valid().remove("spec.product"),
            "[required] $.spec: required property 'product' not found"),
        refused("owner email without a domain", valid().set("spec.owner.email", "nobody"),
            "[pattern] $.spec.owner.email: does not match the regex pattern"),
        refused("maxAge in words", valid().set("spec.rotation.maxAge", "ninety days"),
            "[pattern] $.spec.rotation.maxAge: does not match the regex pattern"),
        refused("maxConcurrent 0", valid().set("spec.consumers.maxConcurrent", 0),
            "[minimum] $.spec.consumers.maxConcurrent: must have a minimum value of 1"),
        refused("refreshBefore 150%", valid().set("spec.token.refreshBefore", "150%"),
            "[pattern] $.spec.token.refreshBefore: does not match the regex pattern"),
        refused("misspelt field", valid().set("spec.rotation.maxage", "30d"),
            "[unknown] $.spec.rotation.maxage: field not declared in the schema"),
        // Found by SpecFuzzTest: names and keys the API server refuses for a Secret, which the
        // operator then failed to write at every reconcile.
        refused("target secretName with an empty part", valid().set("spec.target.secretName",
            "a..b"), "[pattern] $.spec.target.secretName: does not match the regex pattern"),
        refused("target secretName with a part ending in '-'", valid().set(
            "spec.target.secretName", "a-.b"),
            "[pattern] $.spec.target.secretName: does not match the regex pattern"),
        refused("target key '.'", valid().set("spec.target.keys.accessToken", "."),
            "[pattern] $.spec.target.keys.accessToken: does not match the regex pattern"),
        refused("target key starting with '..'", valid().set("spec.target.keys.clientId",
            "..data"), "[pattern] $.spec.target.keys.clientId: does not match the regex pattern"));
  }

  static Stream<Arguments> acceptedEdgeCases() {
    return Stream.of(
        Arguments.of(Named.of("tokens disabled with mode credentials", valid()
            .set("spec.token.enabled", false).set("spec.target.mode", "credentials"))),
        Arguments.of(Named.of("maxAge 2160h", valid().set("spec.rotation.maxAge", "2160h"))),
        Arguments.of(Named.of("maxAge 90d with renewBefore 2159h",
            valid().set("spec.rotation.renewBefore", "2159h"))),
        Arguments.of(Named.of("compound durations: maxAge 1h30m, renewBefore 1h",
            valid().set("spec.rotation", Map.of("maxAge", "1h30m", "renewBefore", "1h")))),
        Arguments.of(Named.of("IPv4 and IPv6 CIDRs", valid().set("spec.egress.allowlistedIPs",
            List.of("203.0.113.7/32", "2001:db8::/32")))),
        Arguments.of(Named.of("refreshBefore 12h", valid().set("spec.token.refreshBefore", "12h"))),
        Arguments.of(Named.of("target secretName with dotted parts and keys with dots",
            valid().set("spec.target.secretName", "shop.v1-token")
                .set("spec.target.keys.accessToken", ".token")
                .set("spec.target.keys.baseUrl", "base..url"))),
        Arguments.of(Named.of("destinationCIDRs IPv4 and IPv6", valid()
            .set("spec.egress.destinationCIDRs", List.of("0.0.0.0/0", "2001:db8::/32")))),
        Arguments.of(Named.of("sealed source instead of secretRef",
            valid().remove("spec.source.secretRef").set("spec.source.sealed", sealedSource()))),
        Arguments.of(Named.of("no rotation block: the defaults apply",
            valid().remove("spec.rotation"))),
        Arguments.of(Named.of("empty rotation block: the defaults fill it",
            valid().set("spec.rotation", Map.of()))));
  }

  private static Arguments refused(String name, CredentialDocument document, String expected) {
    return Arguments.of(Named.of(name, document), expected);
  }

  @Test
  void validBaseIsAccepted() {
    Verdict verdict = crd.validate(valid().tree());

    assertThat(verdict.messages()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("refusedByRules")
  void ruleRefusesSpecThatPassesOpenApi(CredentialDocument document, String expected) {
    Verdict verdict = crd.validate(document.tree());

    assertThat(verdict.structural()).as("OpenAPI findings").isEmpty();
    assertThat(verdict.rules()).anySatisfy(message -> assertThat(message).startsWith(expected));
  }

  @ParameterizedTest
  @MethodSource("refusedByOpenApi")
  void openApiSchemaRefusesSpec(CredentialDocument document, String expected) {
    Verdict verdict = crd.validate(document.tree());

    assertThat(verdict.structural())
        .anySatisfy(message -> assertThat(message).startsWith(expected));
  }

  @ParameterizedTest
  @MethodSource("acceptedEdgeCases")
  void edgeCaseIsAccepted(CredentialDocument document) {
    Verdict verdict = crd.validate(document.tree());

    assertThat(verdict.messages()).isEmpty();
  }
}
