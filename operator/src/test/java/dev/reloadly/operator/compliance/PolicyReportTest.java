package dev.reloadly.operator.compliance;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.testing.CrdDiscovery;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The namespace's PolicyReport: its results and summary, and nothing without its CRD. */
class PolicyReportTest {
  static final String ID = "client-7";
  static final Duration WAIT = Duration.ofSeconds(30);

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorHarness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  private void start(boolean crd) {
    harness = new OperatorHarness(clock, crd
        ? EmbeddedApiServer.start(d -> new CrdDiscovery(d, "wgpolicyk8s.io/v1alpha2",
            "PolicyReport", "policyreports", true))
        : EmbeddedApiServer.start());
    harness.simulator().allowCredential(ID, "secret-1");
    harness.start();
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    for (String name : List.of("shop", "billing")) {
      harness.client().resource(secretRefCredential(name, "src", TargetMode.TOKEN)).create();
    }
    new CredentialSteps(harness, "shop", "src", ID, WAIT).awaitServedVersion();
    new CredentialSteps(harness, "billing", "src", ID, WAIT).awaitServedVersion();
  }

  @Test
  @SuppressWarnings("unchecked")
  void oneReportPerNamespaceWithAResultPerCredentialAndCheckWrittenOnlyWhenItChanges() {
    start(true);
    await().atMost(WAIT).untilAsserted(() -> {
      GenericKubernetesResource report = report();
      assertThat(report).isNotNull();
      assertThat((List<Object>) report.getAdditionalProperties().get("results")).hasSize(26);
    });
    GenericKubernetesResource report = report();
    List<Map<String, Object>> results =
        (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
    assertThat(results.get(0)).containsEntry("category", PolicyReports.CATEGORY)
        .containsKeys("policy", "rule", "result", "severity", "resources");
    assertThat(((List<Map<String, Object>>) results.get(0).get("resources")).get(0))
        .containsEntry("name", "billing").containsEntry("kind", "ReloadlyCredential");
    assertThat(results).anySatisfy(r -> {
      assertThat(r).containsEntry("policy", "reloadly-c3").containsEntry("rule",
          "PortalTwoFactor").containsEntry("result", "fail");
    });
    Map<String, Object> summary = (Map<String, Object>) report.getAdditionalProperties()
        .get("summary");
    int total = summary.values().stream().mapToInt(v -> ((Number) v).intValue()).sum();
    assertThat(total).isEqualTo(26);
    assertThat(((Number) summary.get("fail")).intValue()).isPositive();

    // Settled: reconciles write no report.
    CredentialSteps steps = new CredentialSteps(harness, "shop", "src", ID, WAIT);
    harness.awaitSettled();
    long writes = harness.server().writesTo("policyreports");
    harness.awaitReconcileAfter(steps.touchSource());
    harness.awaitSettled();
    assertThat(harness.server().writesTo("policyreports")).isEqualTo(writes);

    // A credential deleted: its results leave the report.
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE)
        .withName("billing").delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat((List<Object>) report()
        .getAdditionalProperties().get("results")).hasSize(13));
  }

  @Test
  void withoutTheCrdNoReportIsWritten() {
    start(false);
    harness.awaitSettled();
    assertThat(harness.server().writesTo("policyreports")).isZero();
  }

  private GenericKubernetesResource report() {
    return harness.client().genericKubernetesResources(PolicyReports.CONTEXT)
        .inNamespace(NAMESPACE).withName(PolicyReports.NAME).get();
  }
}
