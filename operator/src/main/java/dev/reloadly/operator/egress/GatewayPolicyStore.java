package dev.reloadly.operator.egress;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Optional;

/** Where CiliumEgressGatewayPolicies live; the cluster one is {@link ClusterGatewayPolicies}. */
public interface GatewayPolicyStore {
  /** Whether the API server serves cilium.io/v2 CiliumEgressGatewayPolicy. */
  boolean installed();

  Optional<GenericKubernetesResource> get(String name);

  /** @return false when a policy of that name exists and is not the operator's */
  boolean create(GenericKubernetesResource desired);

  /** Makes {@code existing} say what {@code desired} says. */
  void update(GenericKubernetesResource existing, GenericKubernetesResource desired);

  void delete(String name);

  /** The operator's policies, for removing those whose credential is gone. */
  List<GenericKubernetesResource> ours();
}
