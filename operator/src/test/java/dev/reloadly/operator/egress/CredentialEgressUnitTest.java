package dev.reloadly.operator.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.EgressSpec;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import dev.reloadly.operator.rollout.Consumer;
import dev.reloadly.operator.rollout.ConsumerDiscovery;
import dev.reloadly.operator.rollout.ConsumerPolicy;
import dev.reloadly.operator.rollout.Workload;
import dev.reloadly.operator.testing.CredentialFixtures;
import dev.reloadly.operator.testing.Workloads;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** CredentialEgress without a server: what it writes through fake stores, and what it says. */
class CredentialEgressUnitTest {
  private final List<NetworkPolicy> created = new ArrayList<>();
  private final Set<String> taken = new java.util.HashSet<>();
  private final EgressPolicyStore policies = new EgressPolicyStore() {
    @Override
    public List<NetworkPolicy> existing(String namespace, String name, String uid) {
      return List.of();
    }

    @Override
    public boolean create(NetworkPolicy desired) {
      if (taken.contains(desired.getMetadata().getName())) {
        return false;
      }
      created.add(desired);
      return true;
    }

    @Override
    public void update(NetworkPolicy existing, NetworkPolicy desired) {
      throw new AssertionError("nothing exists to update");
    }

    @Override
    public void delete(NetworkPolicy existing) {
      throw new AssertionError("nothing exists to delete");
    }
  };
  private final GatewayPolicyStore noCilium = new GatewayPolicyStore() {
    @Override
    public boolean installed() {
      return false;
    }

    @Override
    public Optional<GenericKubernetesResource> get(String name) {
      return Optional.empty();
    }

    @Override
    public boolean create(GenericKubernetesResource desired) {
      throw new AssertionError();
    }

    @Override
    public void update(GenericKubernetesResource existing, GenericKubernetesResource desired) {
      throw new AssertionError();
    }

    @Override
    public void delete(String name) {
      throw new AssertionError();
    }

    @Override
    public List<GenericKubernetesResource> ours() {
      return List.of();
    }
  };
  private final CredentialEgress egress =
      new CredentialEgress(policies, noCilium, new LabelSelector());

  private static ReloadlyCredential credential() {
    ReloadlyCredential c = CredentialFixtures.secretRefCredential("shop", "src", TargetMode.TOKEN);
    c.getMetadata().setUid("uid-1");
    EgressSpec spec = new EgressSpec();
    spec.setAllowlistedIPs(List.of("203.0.113.0/24"));
    c.getSpec().setEgress(spec);
    return c;
  }

  private static List<Consumer> consumers(String... declared) {
    Consumers c = new Consumers();
    c.setWorkloads(Stream.of(declared).map(d -> {
      String[] kindName = d.split("/");
      WorkloadRef ref = new WorkloadRef();
      ref.setKind(WorkloadKind.valueOf(kindName[0]));
      ref.setName(kindName[1]);
      return ref;
    }).toList());
    List<Workload> workloads = List.of(
        workload(WorkloadKind.Deployment, "api"), workload(WorkloadKind.StatefulSet, "api"),
        workload(WorkloadKind.Deployment, "sneaky"));
    return ConsumerDiscovery.find(ConsumerPolicy.of(c), workloads, "shop-reloadly",
        "access_token");
  }

  private static Workload workload(WorkloadKind kind, String name) {
    return Workload.from(Workloads.workload(kind, "payments", name, "shop-reloadly",
        Workloads.Reading.VOLUME)).orElseThrow();
  }

  private CredentialEgress.Result apply(List<NatNode> nodes, List<Consumer> consumers) {
    return egress.apply(new CredentialEgress.Input(credential(),
        Optional.of(EgressSettings.of(credential().getSpec().getEgress())), nodes, consumers,
        null));
  }

  private static ConditionUpdate condition(CredentialEgress.Result r, String type) {
    return r.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void twoKindsWithOneNameGetTwoPoliciesAndUndeclaredReadersAreNamed() {
    CredentialEgress.Result r = apply(List.of(new NatNode("nat", Map.of(), "10.0.0.1",
        "203.0.113.7", true)), consumers("Deployment/api", "StatefulSet/api"));
    assertThat(created).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("shop-egress-api", "shop-egress-statefulset-api");
    assertThat(condition(r, Conditions.EGRESS_READY).message())
        .contains("Deployment/sneaky").contains("not pinned");
  }

  @Test
  void aReadyNodeWithoutAnInternalIpIsNoNatNode() {
    CredentialEgress.Result r = apply(List.of(new NatNode("nat", Map.of(), null, "203.0.113.7",
        true)), consumers("Deployment/api"));
    assertThat(condition(r, Conditions.EGRESS_READY).reason()).isEqualTo(Conditions.NO_NAT_NODES);
    assertThat(created).singleElement().satisfies(p -> assertThat(p.getSpec().getEgress())
        .as("DNS only: fail closed").hasSize(1));
  }

  @Test
  void aPolicyOfTheSameNameThatIsNotOursIsLeftAloneAndSaidSo() {
    taken.add("shop-egress-api");
    CredentialEgress.Result r = apply(List.of(new NatNode("nat", Map.of(), "10.0.0.1",
        "203.0.113.7", true)), consumers("Deployment/api"));
    assertThat(condition(r, Conditions.EGRESS_READY).reason())
        .isEqualTo(Conditions.TARGET_CONFLICT);
    assertThat(created).isEmpty();
  }

  @Test
  void withoutCiliumModeCiliumChangesNothing() {
    ReloadlyCredential c = credential();
    c.getSpec().getEgress().setMode(dev.reloadly.operator.api.v1alpha1.EgressMode
        .CiliumEgressGateway);
    CredentialEgress.Result r = egress.apply(new CredentialEgress.Input(c,
        Optional.of(EgressSettings.of(c.getSpec().getEgress())), List.of(),
        consumers("Deployment/api"), null));
    assertThat(condition(r, Conditions.EGRESS_READY).reason())
        .isEqualTo(Conditions.CILIUM_NOT_INSTALLED);
    assertThat(created).isEmpty();
  }
}
