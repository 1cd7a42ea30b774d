package dev.reloadly.operator.egress;

import dev.reloadly.operator.api.v1alpha1.DnsPeer;
import dev.reloadly.operator.api.v1alpha1.EgressMode;
import dev.reloadly.operator.api.v1alpha1.EgressSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** spec.egress with defaults applied and the allowlist parsed. */
public record EgressSettings(EgressMode mode, LabelSelector natNodeSelector, List<Cidr> allowlisted,
    List<Integer> proxyPorts, String dnsNamespace, Map<String, String> dnsLabels,
    List<NetworkPolicyEgressRule> additional, List<String> destinationCIDRs, String egressIP) {

  public static final List<String> DEFAULT_DESTINATIONS = List.of("0.0.0.0/0");

  public static final List<Integer> DEFAULT_PROXY_PORTS = List.of(3128);
  public static final String DEFAULT_DNS_NAMESPACE = "kube-system";
  public static final Map<String, String> DEFAULT_DNS_LABELS = Map.of("k8s-app", "kube-dns");

  /** @throws IllegalArgumentException naming the field */
  public static EgressSettings of(EgressSpec spec) {
    List<Cidr> allowlisted;
    try {
      allowlisted = Optional.ofNullable(spec.getAllowlistedIPs()).orElse(List.of()).stream()
          .map(Cidr::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.egress.allowlistedIPs: " + e.getMessage());
    }
    DnsPeer dns = Optional.ofNullable(spec.getDns()).orElseGet(DnsPeer::new);
    return new EgressSettings(Optional.ofNullable(spec.getMode()).orElse(EgressMode.NetworkPolicy),
        spec.getNatNodeSelector(), allowlisted,
        spec.getProxyPorts() == null || spec.getProxyPorts().isEmpty() ? DEFAULT_PROXY_PORTS
            : List.copyOf(noNulls("spec.egress.proxyPorts", spec.getProxyPorts())),
        Optional.ofNullable(dns.getNamespace()).orElse(DEFAULT_DNS_NAMESPACE),
        dns.getPodLabels() == null || dns.getPodLabels().isEmpty() ? DEFAULT_DNS_LABELS
            : Map.copyOf(noNulls("spec.egress.dns.podLabels", dns.getPodLabels())),
        spec.getAdditionalEgress() == null ? List.of()
            : List.copyOf(noNulls("spec.egress.additionalEgress", spec.getAdditionalEgress())),
        destinations(spec.getDestinationCIDRs()),
        spec.getEgressIP() == null || spec.getEgressIP().isBlank() ? null : spec.getEgressIP());
  }

  /**
   * Without the schema a list can hold null entries (JSON {@code [null]}), which List.copyOf
   * refuses with a NullPointerException: a bad spec must read as one, naming the field.
   */
  private static <T> List<T> noNulls(String field, List<T> entries) {
    if (entries.contains(null)) {
      throw new IllegalArgumentException(field + " must not hold empty (null) entries");
    }
    return entries;
  }

  private static <V> Map<String, V> noNulls(String field, Map<String, V> entries) {
    if (entries.containsKey(null) || entries.containsValue(null)) {
      throw new IllegalArgumentException(field + " must not hold empty (null) values");
    }
    return entries;
  }

  private static List<String> destinations(List<String> cidrs) {
    if (cidrs == null || cidrs.isEmpty()) {
      return DEFAULT_DESTINATIONS;
    }
    try {
      cidrs.forEach(Cidr::parse);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.egress.destinationCIDRs: " + e.getMessage());
    }
    return List.copyOf(cidrs);
  }

  /** Whether {@code ip} is inside one of the allowlisted CIDRs. */
  public boolean allowlists(String ip) {
    return allowlisted.stream().anyMatch(c -> c.contains(ip));
  }
}
