package dev.reloadly.operator.egress;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * CiliumEgressGatewayPolicies on the API server. Cilium may be installed after the operator
 * started, so whether its CRD is served is asked again at most once a minute. Only credentials in
 * mode CiliumEgressGateway read their policy, by name; no informer watches a CRD that may not
 * exist.
 */
public final class ClusterGatewayPolicies implements GatewayPolicyStore {
  static final Duration RECHECK = Duration.ofMinutes(1);
  private final KubernetesClient client;
  private final Clock clock;
  private volatile Instant checkedAt = Instant.MIN;
  private volatile boolean installed;

  public ClusterGatewayPolicies(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public boolean installed() {
    Instant now = clock.instant();
    if (!installed && !now.isBefore(checkedAt.plus(RECHECK))) {
      checkedAt = now;
      installed = client.supports("cilium.io/v2", GatewayPolicies.CONTEXT.getKind());
    }
    return installed;
  }

  @Override
  public Optional<GenericKubernetesResource> get(String name) {
    return Optional.ofNullable(client.genericKubernetesResources(GatewayPolicies.CONTEXT)
        .withName(name).get());
  }

  @Override
  public boolean create(GenericKubernetesResource desired) {
    return Writes.createUnlessTaken(desired, policy ->
        client.genericKubernetesResources(GatewayPolicies.CONTEXT).resource(policy).create());
  }

  @Override
  public void update(GenericKubernetesResource existing, GenericKubernetesResource desired) {
    String patch = Writes.replaceSpec(client, desired.getAdditionalProperties().get("spec"));
    client.genericKubernetesResources(GatewayPolicies.CONTEXT).resource(existing)
        .patch(PatchContext.of(PatchType.JSON), patch);
  }

  @Override
  public void delete(String name) {
    client.genericKubernetesResources(GatewayPolicies.CONTEXT).withName(name).delete();
  }

  @Override
  public List<GenericKubernetesResource> ours() {
    return client.genericKubernetesResources(GatewayPolicies.CONTEXT)
        .withLabelSelector(EgressPolicies.SELECTOR).list().getItems();
  }
}
