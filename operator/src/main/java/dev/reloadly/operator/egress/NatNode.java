package dev.reloadly.operator.egress;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A NAT node as egress sees it: its internal IP (what the consumers' policy allows), its stable
 * public IP (annotation security.reloadly.dev/egress-ip, else its ExternalIP) and readiness.
 */
public record NatNode(String name, Map<String, String> labels, String internalIP,
    String stableIP, boolean ready) {

  public static NatNode of(Node node) {
    List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null
        ? List.of() : node.getStatus().getAddresses();
    String annotated = Optional.ofNullable(node.getMetadata().getAnnotations())
        .map(a -> a.get(ApiLabels.EGRESS_IP)).filter(s -> !s.isBlank()).orElse(null);
    boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return new NatNode(node.getMetadata().getName(),
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels(),
        address(addresses, "InternalIP"),
        annotated != null ? annotated : address(addresses, "ExternalIP"), ready);
  }

  private static String address(List<NodeAddress> addresses, String type) {
    return addresses.stream().filter(a -> type.equals(a.getType())).map(NodeAddress::getAddress)
        .findFirst().orElse(null);
  }
}
