package dev.reloadly.operator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.egress.EgressSettings;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.reconciler.SpecCheck;
import dev.reloadly.operator.rollout.ConsumerPolicy;
import dev.reloadly.operator.schema.CrdSchema;
import dev.reloadly.operator.schema.Verdict;
import dev.reloadly.operator.target.TargetSecret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated ReloadlyCredential documents against both lines of defence: the CRD's schema and CEL
 * rules as the API server applies them, and the operator's own check of what it reads
 * ({@link SpecCheck}), which is all there is on a cluster with an old CRD or validation off.
 */
@AddLifecycleHook(FuzzBudget.class)
class SpecFuzzTest {
  // Written out from Kubernetes' own validation (IsDNS1123Subdomain, IsConfigMapKey), not taken
  // from the operator's constants, so a mistake there shows here.
  /** A Secret's name: a DNS-1123 subdomain. */
  static final Pattern SECRET_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  /** A key of a Secret's data: these characters, but not "." or "..", nor starting with "..". */
  static final Pattern SECRET_KEY = Pattern.compile("(?!\\.\\.?$)(?!\\.\\.)[-._a-zA-Z0-9]+");
  /**
   * The schema's one known gap: its IPv6 CIDR pattern is loose (a full one would exceed the API
   * server's CEL cost budget), so the operator alone refuses such a value, naming the field.
   */
  static final Pattern LOOSE_IPV6 = Pattern.compile(
      "spec\\.egress\\.(allowlistedIPs|destinationCIDRs): '[^']*:[^']*' is not a CIDR.*");
  /** A spec problem is one line in a condition: it names the field, and it stays short. */
  static final int MAX_PROBLEM_LENGTH = 1024;

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static CrdSchema crd;

  @BeforeContainer
  static void loadCrd() {
    crd = CrdSchema.load();
  }

  @Provide
  Arbitrary<ObjectNode> documents() {
    return SpecDocuments.documents(true);
  }

  @Provide
  Arbitrary<ObjectNode> typedDocuments() {
    return SpecDocuments.documents(false);
  }

  /**
   * The API server answers every document with findings, never with a rule that fails to
   * evaluate; and what it accepts, the operator reads and acts on (no InvalidSpec for a document
   * the cluster took).
   */
  @Property(tries = 1000, seed = "20250114")
  void whatTheApiServerAcceptsTheOperatorActsOn(@ForAll("documents") ObjectNode document) {
    if (hasEmptyFieldName(document)) {
      // The schema harness's validator cannot name an empty field in its JSONPath messages; the
      // API server refuses an empty label key anyway. The operator layer still gets these.
      Statistics.label("api server").collect("not validated (an empty field name)");
      return;
    }
    Verdict verdict = crd.validate(document);

    if (!verdict.accepted()) {
      Statistics.label("api server").collect("refused");
      return;
    }
    ReloadlyCredential credential = read(document).orElseThrow(() ->
        new AssertionError("accepted by the schema but not readable as a ReloadlyCredential"));
    Optional<String> problem = SpecCheck.problem(credential.getSpec());
    if (problem.isPresent() && LOOSE_IPV6.matcher(problem.get()).matches()) {
      Statistics.label("api server").collect("accepted; IPv6 refused by the operator");
      return;
    }
    Statistics.label("api server").collect("accepted");
    assertThat(problem).as("SpecCheck of an accepted spec").isEmpty();
    assertActionable(credential);
  }

  /**
   * Without the schema (an old CRD, validation off) every spec the operator can read gets an
   * answer: a problem naming the field, or settings the reconcile can use as they are, and a
   * target Secret the API server will take.
   */
  @Property(tries = 5000, seed = "20250115")
  void everySpecTheOperatorReadsGetsAClearAnswer(@ForAll("typedDocuments") ObjectNode document) {
    Optional<ReloadlyCredential> read = read(document);
    if (read.isEmpty()) {
      Statistics.label("operator").collect("not readable (a wrong type)");
      return;
    }
    Optional<String> problem = SpecCheck.problem(read.get().getSpec());

    Statistics.label("operator").collect(problem.isPresent() ? "InvalidSpec" : "acted on");
    if (problem.isPresent()) {
      assertThat(problem.get()).as("a problem names the field").containsPattern("spec(\\.[a-zA-Z]+)?");
      assertThat(problem.get()).as("a problem is one short line").hasSizeLessThanOrEqualTo(
          MAX_PROBLEM_LENGTH).doesNotContain("\n");
    } else {
      assertActionable(read.get());
    }
  }

  private static boolean hasEmptyFieldName(JsonNode node) {
    if (node.isObject()) {
      for (var field : node.properties()) {
        if (field.getKey().isEmpty() || hasEmptyFieldName(field.getValue())) {
          return true;
        }
      }
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (hasEmptyFieldName(item)) {
          return true;
        }
      }
    }
    return false;
  }

  /** What the reconcile derives from a spec that passed SpecCheck, before any cluster I/O. */
  static void assertActionable(ReloadlyCredential credential) {
    ReloadlyCredentialSpec spec = credential.getSpec();
    CredentialPolicy.of(spec);
    ConsumerPolicy.of(spec.getConsumers());
    if (spec.getEgress() != null) {
      EgressSettings.of(spec.getEgress());
    }
    assertThat(spec.getProduct().baseUrl(spec.getEnvironment())).startsWith("https://");
    TargetSecret.mode(credential);
    String target = TargetSecret.name(credential);
    assertThat(target).as("target Secret name").hasSizeLessThanOrEqualTo(253)
        .matches(SECRET_NAME);
    TargetSecret.Keys keys = TargetSecret.keys(credential);
    Stream.of(keys.clientId(), keys.clientSecret(), keys.accessToken(), keys.tokenType(),
        keys.expiresAt(), keys.audience(), keys.baseUrl()).forEach(key ->
        assertThat(key).as("target Secret key").hasSizeLessThanOrEqualTo(253).matches(SECRET_KEY));
  }

  /**
   * The document as the operator's informer reads it: JSON through the Kubernetes client's
   * serialization. Empty when it cannot be read (a wrong type), which on a cluster the API
   * server refuses before anything is stored.
   */
  static Optional<ReloadlyCredential> read(ObjectNode document) {
    String json = document.toString();
    try {
      return Optional.of(SERIALIZATION.unmarshal(json, ReloadlyCredential.class));
    } catch (RuntimeException notThisType) {
      return Optional.empty();
    }
  }
}
