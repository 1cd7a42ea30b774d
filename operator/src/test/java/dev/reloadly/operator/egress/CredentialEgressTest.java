package dev.reloadly.operator.egress;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.EgressSpec;
import dev.reloadly.operator.api.v1alpha1.NatNodeStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.testing.CredentialFixtures;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Egress end to end on the CRUD server: the NAT nodes (created and changed by the test, which
 * plays the kubelet), the consumers' NetworkPolicies, and the allowlist check.
 */
class CredentialEgressTest {
  static final String ID = "client-7";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String POLICY = "shop-egress-api";

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorHarness harness;
  private CredentialSteps steps;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential(ID, "secret-1");
    steps = new CredentialSteps(harness, "shop", "src", ID, WAIT);
    harness.start();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void policiesAllowOnlyDnsAndTheReadyNatNodesAndFollowThemAsTheyChange() {
    node("nat-a", "10.0.0.1", "203.0.113.7", null, true, true);
    node("nat-b", "10.0.0.2", null, "203.0.113.9", false, true);
    node("worker", "10.0.0.3", "198.51.100.1", null, true, false);
    Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
        "api", "shop-reloadly", Workloads.Reading.VOLUME));
    createCredential();
    steps.awaitServedVersion();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.EGRESS_READY)).isEqualTo(Conditions.POLICIES_APPLIED);
      assertThat(ipBlocks()).containsExactly("10.0.0.1/32");
    });
    NetworkPolicy policy = policy();
    assertThat(policy.getMetadata().getLabels())
        .containsEntry(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .containsEntry(ApiLabels.COMPONENT, "egress")
        .containsEntry(ApiLabels.CREDENTIAL, "shop");
    assertThat(policy.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("shop"));
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsExactlyEntriesOf(
        java.util.Map.of("app", "api"));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
    List<NetworkPolicyEgressRule> rules = policy.getSpec().getEgress();
    assertThat(rules).hasSize(3);
    NetworkPolicyPeer dns = rules.get(0).getTo().get(0);
    assertThat(dns.getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "kube-system");
    assertThat(dns.getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns");
    assertThat(rules.get(0).getPorts()).extracting(NetworkPolicyPort::getProtocol,
        p -> p.getPort().getIntVal()).containsExactly(
            org.assertj.core.groups.Tuple.tuple("UDP", 53),
            org.assertj.core.groups.Tuple.tuple("TCP", 53));
    assertThat(rules.get(1).getPorts()).extracting(NetworkPolicyPort::getPort)
        .containsExactly(new IntOrString(3128));
    assertThat(rules.get(2).getTo().get(0).getIpBlock().getCidr())
        .as("additionalEgress, passed through").isEqualTo("10.20.0.0/16");
    assertThat(steps.reason(Conditions.EGRESS_ALLOWLISTED)).isEqualTo(Conditions.ALLOWLISTED);
    assertThat(harness.credential("shop").getStatus().getEgress().getNatNodes())
        .extracting(NatNodeStatus::getName, NatNodeStatus::getStableIP, NatNodeStatus::getReady)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("nat-a", "203.0.113.7", true),
            org.assertj.core.groups.Tuple.tuple("nat-b", "203.0.113.9", false));

    // Idle: nothing changed, nothing written.
    harness.awaitSettled();
    int writes = harness.server().writes().size();
    long settled = harness.reconciles();
    steps.touchSource();
    harness.assertReconciledWithoutWrites(settled, writes + 1);

    // nat-b becomes Ready: it is allowed, and its stable IP is not on the allowlist.
    node("nat-b", "10.0.0.2", null, "203.0.113.9", true, true);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(ipBlocks()).containsExactly("10.0.0.1/32", "10.0.0.2/32");
      assertThat(steps.reason(Conditions.EGRESS_ALLOWLISTED))
          .isEqualTo(Conditions.IP_NOT_ALLOWLISTED);
    });
    assertThat(harness.condition("shop", Conditions.EGRESS_ALLOWLISTED).orElseThrow()
        .getMessage()).contains("203.0.113.9").doesNotContain("203.0.113.7");
    assertThat(harness.client().v1().events().inNamespace(NAMESPACE).list().getItems())
        .filteredOn(e -> Conditions.IP_NOT_ALLOWLISTED.equals(e.getReason())).hasSize(1);
    assertThat(harness.runtime().registry().find("reloadly.egress.ip.not.allowlisted")
        .tags("credential", "shop", "ip", "203.0.113.9").gauge().value()).isEqualTo(1.0);

    // nat-a's internal IP changes; nat-b goes away.
    node("nat-a", "10.0.0.11", "203.0.113.7", null, true, true);
    harness.client().nodes().withName("nat-b").delete();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(ipBlocks()).containsExactly("10.0.0.11/32");
      assertThat(steps.reason(Conditions.EGRESS_ALLOWLISTED)).isEqualTo(Conditions.ALLOWLISTED);
    });
    assertThat(harness.runtime().registry().find("reloadly.egress.ip.not.allowlisted")
        .tags("credential", "shop").gauges()).isEmpty();

    // nat-a NotReady: no NAT node left; the policy keeps Reloadly unreachable (fail closed).
    node("nat-a", "10.0.0.11", "203.0.113.7", null, false, true);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.EGRESS_READY)).isEqualTo(Conditions.NO_NAT_NODES);
      assertThat(policy().getSpec().getEgress()).hasSize(2);
    });

    // spec.egress removed: the policy and the egress conditions go.
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"egress\":null}}");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(harness.client().network().v1().networkPolicies().inNamespace(NAMESPACE)
          .withName(POLICY).get()).isNull();
      assertThat(harness.condition("shop", Conditions.EGRESS_READY)).isEmpty();
      assertThat(harness.credential("shop").getStatus().getEgress()).isNull();
    });
    assertThat(harness.client().nodes().withName("worker").get().getMetadata().getLabels())
        .as("nodes are only read").doesNotContainKey(ApiLabels.MANAGED_BY);
    assertThat(harness.server().writes()).noneMatch(w -> w.contains("/nodes/")
        && !w.startsWith("DELETE /api/v1/nodes/nat-b") && w.startsWith("PATCH"));
  }

  private NetworkPolicy policy() {
    return harness.client().network().v1().networkPolicies().inNamespace(NAMESPACE)
        .withName(POLICY).get();
  }

  private List<String> ipBlocks() {
    NetworkPolicy policy = policy();
    if (policy == null) {
      return List.of();
    }
    return policy.getSpec().getEgress().stream().flatMap(r -> r.getTo().stream())
        .filter(p -> p.getIpBlock() != null).map(p -> p.getIpBlock().getCidr())
        .filter(c -> c.startsWith("10.0.")).toList();
  }


  private void node(String name, String internal, String external, String annotatedIp,
      boolean ready, boolean nat) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("kubernetes.io/hostname", name).endMetadata();
    if (nat) {
      b.editMetadata().addToLabels("security.reloadly.dev/nat-node", "true").endMetadata();
    }
    if (annotatedIp != null) {
      b.editMetadata().addToAnnotations(ApiLabels.EGRESS_IP, annotatedIp).endMetadata();
    }
    b.withNewStatus().addNewAddress().withType("InternalIP").withAddress(internal).endAddress()
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
        .endStatus();
    if (external != null) {
      b.editStatus().addNewAddress().withType("ExternalIP").withAddress(external).endAddress()
          .endStatus();
    }
    Node node = b.build();
    if (harness.client().nodes().withName(name).get() == null) {
      harness.client().resource(node).create();
    } else {
      harness.client().resource(node).update();
    }
  }

  private void createCredential() {
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.TOKEN);
    CredentialFixtures.withConsumer(credential, WorkloadKind.Deployment, "api");
    EgressSpec egress = new EgressSpec();
    egress.setAllowlistedIPs(List.of("203.0.113.7/32"));
    egress.setAdditionalEgress(List.of(new io.fabric8.kubernetes.api.model.networking.v1
        .NetworkPolicyEgressRuleBuilder().addNewTo().withNewIpBlock().withCidr("10.20.0.0/16")
        .endIpBlock().endTo().build()));
    credential.getSpec().setEgress(egress);
    harness.client().resource(credential).create();
  }
}
