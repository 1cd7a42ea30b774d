package dev.reloadly.operator.egress;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.EgressMode;
import dev.reloadly.operator.api.v1alpha1.EgressSpec;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.testing.CrdDiscovery;
import dev.reloadly.operator.testing.CredentialFixtures;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mode CiliumEgressGateway, with Cilium's CRD served and without. */
class GatewayPolicyTest {
  static final String ID = "client-7";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String GATEWAY = NAMESPACE + "-shop";

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorHarness harness;
  private CredentialSteps steps;

  private void start(boolean ciliumInstalled) {
    harness = new OperatorHarness(clock, ciliumInstalled
        ? EmbeddedApiServer.start(crud -> new CrdDiscovery(crud, "cilium.io/v2",
            "CiliumEgressGatewayPolicy", "ciliumegressgatewaypolicies", false))
        : EmbeddedApiServer.start());
    harness.simulator().allowCredential(ID, "secret-1");
    steps = new CredentialSteps(harness, "shop", "src", ID, WAIT);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void withoutCiliumTheConditionSaysSoAndNothingElseChanges() {
    start(false);
    harness.start();
    Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
        "api", "shop-reloadly", Workloads.Reading.VOLUME));
    createCredential(EgressMode.CiliumEgressGateway, null);
    steps.awaitServedVersion();
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.EGRESS_READY))
        .isEqualTo(Conditions.CILIUM_NOT_INSTALLED));
    assertThat(harness.server().writes()).noneMatch(w -> w.contains("networkpolicies")
        || w.contains("ciliumegressgatewaypolicies"));
  }

  @Test
  void withCiliumOneClusterScopedPolicyRoutesTheConsumersAndGoesWithTheCredential() {
    start(true);
    // Left by a credential deleted while no operator ran: removed when the operator starts.
    harness.client().genericKubernetesResources(GatewayPolicies.CONTEXT).resource(orphan())
        .create();
    harness.start();
    await().atMost(WAIT).untilAsserted(() -> assertThat(gateway("payments-gone")).isNull());

    Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
        "api", "shop-reloadly", Workloads.Reading.VOLUME));
    createCredential(EgressMode.CiliumEgressGateway, "192.0.2.10");
    steps.awaitServedVersion();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.EGRESS_READY)).isEqualTo(Conditions.NO_NAT_NODES);
      assertThat(gateway(GATEWAY)).isNotNull();
    });
    GenericKubernetesResource policy = gateway(GATEWAY);
    assertThat(policy.getMetadata().getLabels())
        .containsEntry(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .containsEntry(ApiLabels.CREDENTIAL, "shop")
        .containsEntry(GatewayPolicies.CREDENTIAL_NAMESPACE, NAMESPACE);
    assertThat(harness.client().getKubernetesSerialization().asJson(
        policy.getAdditionalProperties().get("spec"))).isEqualTo("{\"selectors\":[{\"podSelector\":"
        + "{\"matchLabels\":{\"app\":\"api\",\"io.kubernetes.pod.namespace\":\"payments\"}}}],"
        + "\"destinationCIDRs\":[\"0.0.0.0/0\"],\"egressGateway\":{\"nodeSelector\":"
        + "{\"matchLabels\":{\"security.reloadly.dev/nat-node\":\"true\"}},"
        + "\"egressIP\":\"192.0.2.10\"}}");
    assertThat(harness.credential("shop").getStatus().getEgress().getGatewayPolicy())
        .isEqualTo(GATEWAY);

    // Idle: written once, not again.
    harness.awaitSettled();
    int writes = harness.server().writes().size();
    long settled = harness.reconciles();
    steps.touchSource();
    harness.assertReconciledWithoutWrites(settled, writes + 1);

    // Back to NetworkPolicy mode: the gateway policy goes, a NetworkPolicy comes.
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop")
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"egress\":{\"mode\":\"NetworkPolicy\"}}}");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(gateway(GATEWAY)).isNull();
      assertThat(harness.client().network().v1().networkPolicies().inNamespace(NAMESPACE)
          .withName("shop-egress-api").get()).isNotNull();
    });

    // Cilium again, then the credential is deleted: its gateway policy goes with it.
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop")
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"egress\":{\"mode\":\"CiliumEgressGateway\"}}}");
    await().atMost(WAIT).untilAsserted(() -> assertThat(gateway(GATEWAY)).isNotNull());
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop")
        .delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(gateway(GATEWAY)).isNull());
  }

  private GenericKubernetesResource gateway(String name) {
    return harness.client().genericKubernetesResources(GatewayPolicies.CONTEXT).withName(name)
        .get();
  }

  private static GenericKubernetesResource orphan() {
    GenericKubernetesResource policy = new GenericKubernetesResource();
    policy.setApiVersion("cilium.io/v2");
    policy.setKind("CiliumEgressGatewayPolicy");
    policy.setMetadata(new ObjectMetaBuilder().withName("payments-gone")
        .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .addToLabels(ApiLabels.COMPONENT, EgressPolicies.COMPONENT)
        .addToLabels(ApiLabels.CREDENTIAL, "gone")
        .addToLabels(GatewayPolicies.CREDENTIAL_NAMESPACE, NAMESPACE).build());
    policy.setAdditionalProperty("spec", Map.of("destinationCIDRs", List.of("0.0.0.0/0")));
    return policy;
  }

  private void createCredential(EgressMode mode, String egressIp) {
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.TOKEN);
    CredentialFixtures.withConsumer(credential, WorkloadKind.Deployment, "api");
    EgressSpec egress = new EgressSpec();
    egress.setMode(mode);
    egress.setEgressIP(egressIp);
    credential.getSpec().setEgress(egress);
    harness.client().resource(credential).create();
  }
}
