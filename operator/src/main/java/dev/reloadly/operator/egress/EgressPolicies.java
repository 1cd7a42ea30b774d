package dev.reloadly.operator.egress;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The NetworkPolicy each consumer workload gets: its pods may reach DNS, the egress proxy on each
 * Ready NAT node (by internal IP), and whatever spec.egress.additionalEgress allows; nothing else.
 * Pure: the same inputs give the same object.
 */
public final class EgressPolicies {
  public static final String COMPONENT = "egress";
  public static final String SELECTOR = ApiLabels.MANAGED_SELECTOR + "," + ApiLabels.COMPONENT
      + "=" + COMPONENT;
  static final int MAX_NAME = 63;

  private EgressPolicies() {}

  /** {@code <credential>-egress-<workload>}, cut and suffixed with a hash when too long. */
  public static String name(String credential, String workload) {
    return shorten(credential + "-egress-" + workload, MAX_NAME);
  }

  /** {@code full} when it fits in {@code max} characters, else cut with a hash suffix. */
  static String shorten(String full, int max) {
    if (full.length() <= max) {
      return full;
    }
    String hash = sha256(full).substring(0, 10);
    String head = full.substring(0, max - hash.length() - 1);
    while (head.endsWith("-") || head.endsWith(".")) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + hash;
  }

  public static NetworkPolicy build(ReloadlyCredential credential, String workload,
      LabelSelector pods, EgressSettings settings, List<NatNode> natNodes) {
    List<NetworkPolicyEgressRule> rules = new ArrayList<>();
    rules.add(new NetworkPolicyEgressRuleBuilder()
        .withTo(new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(new LabelSelectorBuilder()
                .addToMatchLabels("kubernetes.io/metadata.name", settings.dnsNamespace()).build())
            .withPodSelector(new LabelSelectorBuilder()
                .withMatchLabels(settings.dnsLabels()).build())
            .build())
        .withPorts(port("UDP", 53), port("TCP", 53))
        .build());
    List<NetworkPolicyPeer> nat = natNodes.stream()
        .filter(n -> n.ready() && n.internalIP() != null)
        .map(n -> new NetworkPolicyPeerBuilder().withNewIpBlock()
            .withCidr(n.internalIP() + (n.internalIP().contains(":") ? "/128" : "/32"))
            .endIpBlock().build())
        .toList();
    if (!nat.isEmpty()) {
      rules.add(new NetworkPolicyEgressRuleBuilder().withTo(nat)
          .withPorts(settings.proxyPorts().stream().map(p -> port("TCP", p)).toList()).build());
    }
    rules.addAll(settings.additional());
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(name(credential.getMetadata().getName(), workload))
        .withNamespace(credential.getMetadata().getNamespace())
        .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .addToLabels(ApiLabels.COMPONENT, COMPONENT)
        .addToLabels(ApiLabels.CREDENTIAL, credential.getMetadata().getName())
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(credential.getApiVersion()).withKind(credential.getKind())
            .withName(credential.getMetadata().getName())
            .withUid(credential.getMetadata().getUid())
            .withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withNewSpec()
        .withPodSelector(new LabelSelectorBuilder(pods).build())
        .withPolicyTypes("Egress")
        .withEgress(rules)
        .endSpec()
        .build();
  }

  private static NetworkPolicyPort port(String protocol, int port) {
    return new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(port))
        .build();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
