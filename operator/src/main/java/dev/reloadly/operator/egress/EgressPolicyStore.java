package dev.reloadly.operator.egress;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;

/** Where a credential's egress policies live; the cluster one is {@link ClusterEgressPolicies}. */
public interface EgressPolicyStore {
  /**
   * The policies the operator keeps for credential {@code name} in {@code namespace}: labelled
   * as its, and owned by the credential of {@code uid}.
   */
  List<NetworkPolicy> existing(String namespace, String name, String uid);

  /** @return false when a policy of that name exists and is not the operator's: left alone */
  boolean create(NetworkPolicy desired);

  /** Makes {@code existing} say what {@code desired} says (a JSON patch replacing its spec). */
  void update(NetworkPolicy existing, NetworkPolicy desired);

  void delete(NetworkPolicy existing);
}
