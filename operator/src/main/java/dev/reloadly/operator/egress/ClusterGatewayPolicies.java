package dev.reloadly.operator.egress;

import dev.reloadly.operator.apiserver.ServedKind;
import dev.reloadly.operator.apiserver.Writes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CiliumEgressGatewayPolicies on the API server. Cilium may be installed after the operator
 * started, so whether its CRD is served is asked again at most once a minute. No informer watches
 * a CRD that may not exist: a policy is read by name once, and then the operator remembers what
 * it wrote or read, so a reconcile with nothing to change makes no API call. A policy deleted or
 * edited behind the operator's back is restored when the credential's wanted policy changes, or
 * after the operator restarts.
 */
public final class ClusterGatewayPolicies implements GatewayPolicyStore {
  private final KubernetesClient client;
  private final ServedKind crd;
  /** What the API server holds, as this process last wrote or read it, by name. */
  private final Map<String, GenericKubernetesResource> known = new ConcurrentHashMap<>();

  public ClusterGatewayPolicies(KubernetesClient client, Clock clock) {
    this.client = client;
    this.crd = new ServedKind(client, clock, "cilium.io/v2", GatewayPolicies.CONTEXT.getKind());
  }

  @Override
  public boolean installed() {
    return crd.served();
  }

  @Override
  public Optional<GenericKubernetesResource> get(String name) {
    GenericKubernetesResource remembered = known.get(name);
    if (remembered != null) {
      return Optional.of(remembered);
    }
    Optional<GenericKubernetesResource> read = Optional.ofNullable(
        client.genericKubernetesResources(GatewayPolicies.CONTEXT).withName(name).get());
    read.ifPresent(policy -> known.put(name, policy));
    return read;
  }

  @Override
  public boolean create(GenericKubernetesResource desired) {
    return Writes.createUnlessTaken(desired, policy -> remember(
        client.genericKubernetesResources(GatewayPolicies.CONTEXT).resource(policy).create()));
  }

  @Override
  public void update(GenericKubernetesResource existing, GenericKubernetesResource desired) {
    String patch = Writes.replaceSpec(client, desired.getAdditionalProperties().get("spec"));
    remember(client.genericKubernetesResources(GatewayPolicies.CONTEXT).resource(existing)
        .patch(PatchContext.of(PatchType.JSON), patch));
  }

  @Override
  public void delete(String name) {
    known.remove(name);
    client.genericKubernetesResources(GatewayPolicies.CONTEXT).withName(name).delete();
  }

  private void remember(GenericKubernetesResource written) {
    if (written != null) {
      known.put(written.getMetadata().getName(), written);
    }
  }

  @Override
  public List<GenericKubernetesResource> ours() {
    return client.genericKubernetesResources(GatewayPolicies.CONTEXT)
        .withLabelSelector(EgressPolicies.SELECTOR).list().getItems();
  }
}
