package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator found and wrote for spec.egress. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EgressStatus {
  @JsonPropertyDescription("The NAT nodes spec.egress.natNodeSelector (or the operator's default)"
      + " selects, by name.")
  private List<NatNodeStatus> natNodes = new ArrayList<>();

  @JsonPropertyDescription("Names of the NetworkPolicies the operator keeps for the consumers.")
  private List<String> policies = new ArrayList<>();

  @JsonPropertyDescription("Name of the cluster-scoped CiliumEgressGatewayPolicy the operator keeps"
      + " (mode CiliumEgressGateway).")
  private String gatewayPolicy;

  @JsonPropertyDescription("The last egress probe (spec.egress.probe).")
  private ProbeStatus probe;

  public ProbeStatus getProbe() { return probe; }
  public void setProbe(ProbeStatus v) { this.probe = v; }
  public String getGatewayPolicy() { return gatewayPolicy; }
  public void setGatewayPolicy(String v) { this.gatewayPolicy = v; }
  public List<NatNodeStatus> getNatNodes() { return natNodes; }
  public void setNatNodes(List<NatNodeStatus> v) { this.natNodes = v == null ? new ArrayList<>() : v; }
  public List<String> getPolicies() { return policies; }
  public void setPolicies(List<String> v) { this.policies = v == null ? new ArrayList<>() : v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof EgressStatus e && Objects.equals(natNodes, e.natNodes)
        && Objects.equals(policies, e.policies)
        && Objects.equals(gatewayPolicy, e.gatewayPolicy)
        && Objects.equals(probe, e.probe);
  }

  @Override
  public int hashCode() {
    return Objects.hash(natNodes, policies, gatewayPolicy, probe);
  }
}
