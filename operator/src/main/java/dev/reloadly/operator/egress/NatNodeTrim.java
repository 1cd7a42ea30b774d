package dev.reloadly.operator.egress;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import dev.reloadly.operator.api.v1alpha1.ApiLabels;

/**
 * The NAT node informer's item store: a Node keeps its name, labels, egress-ip annotation,
 * addresses and Ready condition; images, capacity, other conditions and managedFields go.
 */
public final class NatNodeTrim implements ItemStore<Node> {
  private final Map<String, Node> items = new ConcurrentHashMap<>();

  static Node trim(Node node) {
    String egressIp = Optional.ofNullable(node.getMetadata().getAnnotations())
        .map(a -> a.get(ApiLabels.EGRESS_IP)).orElse(null);
    NodeCondition ready = node.getStatus() == null || node.getStatus().getConditions() == null
        ? null : node.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType())).findFirst()
            .map(c -> new NodeConditionBuilder().withType("Ready").withStatus(c.getStatus())
                .build())
            .orElse(null);
    return new NodeBuilder().withNewMetadata().withName(node.getMetadata().getName())
        .withResourceVersion(node.getMetadata().getResourceVersion())
        .withLabels(node.getMetadata().getLabels())
        .withAnnotations(egressIp == null ? null : Map.of(ApiLabels.EGRESS_IP, egressIp))
        .endMetadata()
        .withNewStatus()
        .withAddresses(node.getStatus() == null ? null : node.getStatus().getAddresses())
        .withConditions(ready == null ? java.util.List.of() : java.util.List.of(ready))
        .endStatus().build();
  }

  @Override
  public String getKey(Node node) {
    return Cache.metaNamespaceKeyFunc(node);
  }

  @Override
  public Node put(String key, Node node) {
    return items.put(key, trim(node));
  }

  @Override
  public Node remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<Node> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public Node get(String key) {
    return items.get(key);
  }

  @Override
  public boolean isFullState() {
    return false;
  }
}
