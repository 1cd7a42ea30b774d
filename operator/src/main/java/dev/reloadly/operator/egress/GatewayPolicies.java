package dev.reloadly.operator.egress;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CiliumEgressGatewayPolicy of a credential (mode CiliumEgressGateway): cluster-scoped, so
 * named {@code <namespace>-<credential>} and labelled with both; it sends the consumers' traffic
 * to the destination CIDRs through the NAT nodes. Pure.
 */
public final class GatewayPolicies {
  public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
      .withGroup("cilium.io").withVersion("v2").withKind("CiliumEgressGatewayPolicy")
      .withPlural("ciliumegressgatewaypolicies").withNamespaced(false).build();
  /** Label holding the credential's namespace (the object itself has none). */
  public static final String CREDENTIAL_NAMESPACE = "security.reloadly.dev/credential-namespace";
  /** The pod label Cilium gives every pod's namespace. */
  static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  static final int MAX_NAME = 253;

  private GatewayPolicies() {}

  public static String name(String namespace, String credential) {
    return EgressPolicies.shorten(namespace + "-" + credential, MAX_NAME);
  }

  /**
   * @param podSelectors the consumers' pod selectors
   * @param natNodes the NAT node selector (the spec's, else the operator's default)
   */
  public static GenericKubernetesResource build(ReloadlyCredential credential,
      List<LabelSelector> podSelectors, LabelSelector natNodes, EgressSettings settings) {
    String namespace = credential.getMetadata().getNamespace();
    List<Object> selectors = new ArrayList<>();
    for (LabelSelector pods : podSelectors) {
      Map<String, Object> podSelector = new LinkedHashMap<>();
      Map<String, String> labels = new HashMap<>(
          pods.getMatchLabels() == null ? Map.of() : pods.getMatchLabels());
      labels.put(POD_NAMESPACE, namespace);
      podSelector.put("matchLabels", labels);
      if (pods.getMatchExpressions() != null && !pods.getMatchExpressions().isEmpty()) {
        podSelector.put("matchExpressions", pods.getMatchExpressions());
      }
      selectors.add(Map.of("podSelector", podSelector));
    }
    Map<String, Object> gateway = new LinkedHashMap<>();
    gateway.put("nodeSelector", natNodes);
    if (settings.egressIP() != null) {
      gateway.put("egressIP", settings.egressIP());
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("selectors", selectors);
    spec.put("destinationCIDRs", settings.destinationCIDRs());
    spec.put("egressGateway", gateway);
    GenericKubernetesResource policy = new GenericKubernetesResource();
    policy.setApiVersion("cilium.io/v2");
    policy.setKind(CONTEXT.getKind());
    policy.setMetadata(new ObjectMetaBuilder().withName(name(namespace,
            credential.getMetadata().getName()))
        .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .addToLabels(ApiLabels.COMPONENT, EgressPolicies.COMPONENT)
        .addToLabels(ApiLabels.CREDENTIAL, credential.getMetadata().getName())
        .addToLabels(CREDENTIAL_NAMESPACE, namespace)
        .build());
    policy.setAdditionalProperty("spec", spec);
    return policy;
  }
}
