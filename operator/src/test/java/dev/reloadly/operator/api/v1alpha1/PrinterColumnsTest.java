package dev.reloadly.operator.api.v1alpha1;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.testing.CredentialFixtures;
import dev.reloadly.operator.testing.NatNodes;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What `kubectl get rlc` shows: the columns, their order, and that each has a value to show. */
class PrinterColumnsTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void defaultColumnsAreWhatPeopleCheckMost() throws IOException {
    assertThat(columns().stream().filter(c -> c.getPriority() == 0)
        .map(CustomResourceColumnDefinition::getName))
        .containsExactly("Ready", "Version", "Next Rotation", "Token Expires", "Consumers",
            "Compliant", "Age");
  }

  @Test
  void wideAddsTheReadyReasonRolloutEgressProductAndEnvironment() throws IOException {
    assertThat(columns()).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Ready", "Reason", "Version", "Next Rotation", "Token Expires",
            "Consumers", "Rolled Out", "Compliant", "Egress", "Product", "Env", "Age");
    assertThat(columns()).allSatisfy(c -> assertThat(c.getPriority()).isIn(0, 1))
        .allSatisfy(c -> assertThat(c.getDescription()).as(c.getName()).isNotBlank());
    assertThat(columns()).filteredOn(c -> "Reason".equals(c.getName())).singleElement()
        .satisfies(c -> assertThat(c.getJsonPath())
            .isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason"));
  }

  @Test
  void onlyPastTimesAreDateColumns() throws IOException {
    // The API server prints a date column as the age since that time, "<invalid>" for a future
    // one; only the creation time is always in the past.
    assertThat(columns()).filteredOn(c -> "date".equals(c.getType()))
        .extracting(CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(".metadata.creationTimestamp");
    assertThat(columns())
        .filteredOn(c -> List.of("Next Rotation", "Token Expires").contains(c.getName()))
        .hasSize(2).allSatisfy(c -> assertThat(c.getType()).isEqualTo("string"));
    assertThat(columns()).filteredOn(c -> "Consumers".equals(c.getName())).singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo("integer"));
  }

  /**
   * A reconciled credential with a consumer and egress fills every column; one without either
   * shows 0 consumers (not blank) and no egress.
   */
  @Test
  void everyColumnResolvesOnAReconciledCredential() throws IOException {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    try (OperatorHarness harness = new OperatorHarness(clock)) {
      harness.simulator().allowCredential("client-7", "secret-7");
      harness.simulator().allowCredential("client-8", "secret-8");
      harness.start();
      NatNodes.create(harness.client(), "nat-a", "10.0.0.1", "203.0.113.7");
      Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
          "api", "shop-reloadly", Workloads.Reading.VOLUME));
      harness.client().resource(sourceSecret("shop-src", "client-7", "secret-7")).create();
      harness.client().resource(sourceSecret("plain-src", "client-8", "secret-8")).create();
      ReloadlyCredential shop = secretRefCredential("shop", "shop-src", TargetMode.TOKEN);
      CredentialFixtures.withConsumer(shop, WorkloadKind.Deployment, "api");
      EgressSpec egress = new EgressSpec();
      egress.setAllowlistedIPs(List.of("203.0.113.7/32"));
      shop.getSpec().setEgress(egress);
      harness.client().resource(shop).create();
      harness.client().resource(secretRefCredential("plain", "plain-src", TargetMode.TOKEN))
          .create();

      Map<String, List<String>> full = await().atMost(WAIT)
          .until(() -> cells(json(harness, "shop")), c -> c.values().stream().allMatch(
              v -> !v.isEmpty()) && c.get("Ready").equals(List.of("True")));
      ReloadlyCredentialStatus status = harness.credential("shop").getStatus();
      String current = status.getVersions().stream()
          .filter(v -> "current".equals(v.getState())).findFirst().orElseThrow().getFingerprint();
      assertThat(full.get("Version"))
          .containsExactly(CredentialFingerprinter.shortForm(current)).allMatch(v -> v.matches(
              "[0-9a-f]{12}"));
      assertThat(current).startsWith(CredentialFingerprinter.PREFIX + full.get("Version").get(0));
      assertThat(full.get("Consumers")).containsExactly("1");
      assertThat(full.get("Egress")).containsExactly("True");
      assertThat(full.get("Token Expires")).containsExactly(status.getTokenExpiresAt());
      assertThat(full.get("Product")).containsExactly("airtime");

      Map<String, List<String>> plain = await().atMost(WAIT)
          .until(() -> cells(json(harness, "plain")), c -> c.get("Ready").equals(List.of("True")));
      assertThat(plain.get("Consumers")).as("counted, not left out").containsExactly("0");
      assertThat(plain.get("Egress")).as("no spec.egress").isEmpty();
      assertThat(plain.get("Version")).hasSize(1);
    }
  }

  @Test
  void theEvaluatorRefusesWhatItDoesNotUnderstand() {
    JsonNode doc = new ObjectMapper().createObjectNode();
    assertThatThrownBy(() -> JsonPathLite.evaluate(doc, ".status.conditions[*].type"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Each column's values on {@code credential}, as kubectl would print them (before joining). */
  private static Map<String, List<String>> cells(JsonNode credential) throws IOException {
    Map<String, List<String>> cells = new LinkedHashMap<>();
    for (CustomResourceColumnDefinition column : columns()) {
      cells.put(column.getName(), JsonPathLite.evaluate(credential, column.getJsonPath()));
    }
    return cells;
  }

  /** The credential as the API server holds it, every field included. */
  private static JsonNode json(OperatorHarness harness, String name) {
    try {
      return new ObjectMapper().readTree(harness.client().getKubernetesSerialization().asJson(
          harness.client().genericKubernetesResources(
              ReloadlyCredential.GROUP + "/" + ReloadlyCredential.VERSION, ReloadlyCredential.KIND)
              .inNamespace(NAMESPACE).withName(name).get()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<CustomResourceColumnDefinition> columns() throws IOException {
    try (InputStream in = Files.newInputStream(CrdUpToDateTest.CRDS.resolve(CrdUpToDateTest.FILE))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class).getSpec().getVersions()
          .get(0).getAdditionalPrinterColumns();
    }
  }

  /**
   * The JSONPath the columns use, and no more: field steps ({@code .a.b}) and an equality filter
   * on a list ({@code [?(@.type=="Ready")]}). Anything else is refused, so a column written in
   * syntax this does not check is noticed.
   */
  static final class JsonPathLite {
    private static final Pattern STEP =
        Pattern.compile("\\.([A-Za-z][A-Za-z0-9]*)|\\[\\?\\(@\\.([A-Za-z]+)==\"([^\"]*)\"\\)\\]");

    static List<String> evaluate(JsonNode root, String path) {
      List<JsonNode> at = List.of(root);
      Matcher m = STEP.matcher(path);
      int end = 0;
      while (m.find()) {
        if (m.start() != end) {
          break;
        }
        end = m.end();
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode node : at) {
          if (m.group(1) != null) {
            if (node.has(m.group(1))) {
              next.add(node.get(m.group(1)));
            }
          } else {
            node.forEach(item -> {
              if (m.group(3).equals(item.path(m.group(2)).asText(null))) {
                next.add(item);
              }
            });
          }
        }
        at = next;
      }
      if (end != path.length() || path.isEmpty()) {
        throw new IllegalArgumentException("unsupported JSONPath: " + path);
      }
      return at.stream().filter(n -> !n.isNull()).map(JsonNode::asText).toList();
    }
  }
}
