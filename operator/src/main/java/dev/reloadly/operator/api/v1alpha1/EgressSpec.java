package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import java.util.List;

/** Egress of the consumers' Reloadly traffic through stable-IP NAT nodes (guideline C7). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.allowlistedIPs) || self.allowlistedIPs.all(ip, ip.matches('"
        + EgressSpec.CIDR_CEL + "'))",
    message = "egress.allowlistedIPs must hold IPv4 or IPv6 CIDRs such as 203.0.113.7/32",
    fieldPath = ".allowlistedIPs")
// The operator parses destinationCIDRs as CIDRs too (EgressSettings); without this rule a
// non-CIDR passed the API server and then stopped the credential with InvalidSpec.
@ValidationRule(
    value = "!has(self.destinationCIDRs) || self.destinationCIDRs.all(ip, ip.matches('"
        + EgressSpec.CIDR_CEL + "'))",
    message = "egress.destinationCIDRs must hold IPv4 or IPv6 CIDRs such as 0.0.0.0/0",
    fieldPath = ".destinationCIDRs")
public class EgressSpec {
  /** IPv4 CIDR, or a loose IPv6 CIDR; the NAT nodes' addresses are compared by the operator. */
  static final String CIDR_CEL = "^(((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\\\.){3}"
      + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])"
      + "|[0-9a-fA-F:]*:[0-9a-fA-F:]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$";

  @JsonPropertyDescription("Label selector of the NAT nodes whose stable IPs Reloadly allowlists.")
  private LabelSelector natNodeSelector;

  @Size(max = 64)
  @JsonPropertyDescription(
      "The IPs registered with Reloadly's allowlist, as CIDRs. Drift from the NAT nodes' real"
          + " addresses is reported.")
  // Item length bounds the CEL cost estimate of the matches() rule on a real API server.
  private List<@Size(max = 43) String> allowlistedIPs;

  @Default("NetworkPolicy")
  @JsonPropertyDescription("NetworkPolicy (default): one policy per consumer workload; or"
      + " CiliumEgressGateway: one CiliumEgressGatewayPolicy (Cilium must be installed).")
  private EgressMode mode;

  @JsonPropertyDescription("Further egress rules the consumers need, passed through into each"
      + " policy. An egress policy isolates the pods' egress: everything else the app reaches (its"
      + " database, other APIs) must be allowed here. DNS and the NAT nodes are always allowed.")
  private List<NetworkPolicyEgressRule> additionalEgress;

  @Size(max = 8)
  @JsonPropertyDescription("Ports of the egress proxy that runs on each NAT node; the consumers may"
      + " reach the NAT nodes' internal IPs on these only. Default [3128].")
  private List<@io.fabric8.generator.annotation.Min(1) @io.fabric8.generator.annotation.Max(65535)
      Integer> proxyPorts;

  @JsonPropertyDescription("Where the consumers' DNS queries go (UDP and TCP 53). Default: pods"
      + " labelled k8s-app: kube-dns in namespace kube-system.")
  private DnsPeer dns;

  @Size(max = 32)
  @JsonPropertyDescription("CiliumEgressGateway mode: destinations whose traffic leaves through the"
      + " gateway. Default [0.0.0.0/0]: Reloadly publishes no fixed address ranges.")
  private List<@Size(max = 43) String> destinationCIDRs;

  @Size(max = 45)
  @JsonPropertyDescription("CiliumEgressGateway mode: the IP the gateway node uses as the source"
      + " (Cilium's egressGateway.egressIP). Default: the node's own.")
  private String egressIP;

  @JsonPropertyDescription("The egress probe: a Job on a NAT node that calls Reloadly with the"
      + " current token through the consumers' path (EgressVerified).")
  private ProbeSpec probe;

  public ProbeSpec getProbe() { return probe; }
  public void setProbe(ProbeSpec v) { this.probe = v; }
  public List<String> getDestinationCIDRs() { return destinationCIDRs; }
  public void setDestinationCIDRs(List<String> v) { this.destinationCIDRs = v; }
  public String getEgressIP() { return egressIP; }
  public void setEgressIP(String v) { this.egressIP = v; }
  public List<Integer> getProxyPorts() { return proxyPorts; }
  public void setProxyPorts(List<Integer> ports) { this.proxyPorts = ports; }
  public DnsPeer getDns() { return dns; }
  public void setDns(DnsPeer dns) { this.dns = dns; }
  public LabelSelector getNatNodeSelector() { return natNodeSelector; }
  public void setNatNodeSelector(LabelSelector s) { this.natNodeSelector = s; }
  public List<String> getAllowlistedIPs() { return allowlistedIPs; }
  public void setAllowlistedIPs(List<String> ips) { this.allowlistedIPs = ips; }
  public EgressMode getMode() { return mode; }
  public void setMode(EgressMode mode) { this.mode = mode; }
  public List<NetworkPolicyEgressRule> getAdditionalEgress() { return additionalEgress; }
  public void setAdditionalEgress(List<NetworkPolicyEgressRule> r) { this.additionalEgress = r; }
}
