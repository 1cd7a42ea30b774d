package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A NAT node Reloadly traffic leaves through. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NatNodeStatus {
  @JsonPropertyDescription("Name of the Node.")
  private String name;

  @JsonPropertyDescription("Its InternalIP: the consumers' egress policy allows this address.")
  private String internalIP;

  @JsonPropertyDescription("The public IP Reloadly sees: annotation security.reloadly.dev/egress-ip,"
      + " else the Node's ExternalIP.")
  private String stableIP;

  @JsonPropertyDescription("Whether the Node is Ready; only Ready nodes are allowed and checked.")
  private Boolean ready;

  public NatNodeStatus() {}

  public NatNodeStatus(String name, String internalIP, String stableIP, boolean ready) {
    this.name = name;
    this.internalIP = internalIP;
    this.stableIP = stableIP;
    this.ready = ready;
  }

  public String getName() { return name; }
  public void setName(String v) { this.name = v; }
  public String getInternalIP() { return internalIP; }
  public void setInternalIP(String v) { this.internalIP = v; }
  public String getStableIP() { return stableIP; }
  public void setStableIP(String v) { this.stableIP = v; }
  public Boolean getReady() { return ready; }
  public void setReady(Boolean v) { this.ready = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof NatNodeStatus n && Objects.equals(name, n.name)
        && Objects.equals(internalIP, n.internalIP) && Objects.equals(stableIP, n.stableIP)
        && Objects.equals(ready, n.ready);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, internalIP, stableIP, ready);
  }
}
