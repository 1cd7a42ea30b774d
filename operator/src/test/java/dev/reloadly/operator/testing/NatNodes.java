package dev.reloadly.operator.testing;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Plays a cluster's NAT node: a Ready Node with the default NAT label and a stable IP. */
public final class NatNodes {
  private NatNodes() {}

  public static void create(KubernetesClient client, String name, String internalIp,
      String stableIp) {
    client.resource(new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("security.reloadly.dev/nat-node", "true")
        .addToAnnotations(ApiLabels.EGRESS_IP, stableIp).endMetadata()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp)
        .endAddress().addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build()).create();
  }
}
