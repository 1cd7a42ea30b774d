package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A workload that consumes the target Secret: declared in the spec, found reading it, or both. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConsumerStatus {
  @JsonPropertyDescription("Deployment, StatefulSet, DaemonSet or Rollout.")
  private String kind;

  @JsonPropertyDescription("Name of the workload, in the credential's namespace.")
  private String name;

  @JsonPropertyDescription("How its pod template reads the target Secret: env, file, both, none"
      + " (declared but not reading it), or missing (declared but not found).")
  private String reads;

  @JsonPropertyDescription("Whether the spec names it (workloads or selector); false when it was"
      + " only found reading the Secret.")
  private Boolean declared;

  public ConsumerStatus() {}

  public ConsumerStatus(String kind, String name, String reads, boolean declared) {
    this.kind = kind;
    this.name = name;
    this.reads = reads;
    this.declared = declared;
  }

  public String getKind() { return kind; }
  public void setKind(String v) { this.kind = v; }
  public String getName() { return name; }
  public void setName(String v) { this.name = v; }
  public String getReads() { return reads; }
  public void setReads(String v) { this.reads = v; }
  public Boolean getDeclared() { return declared; }
  public void setDeclared(Boolean v) { this.declared = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsumerStatus c && Objects.equals(kind, c.kind)
        && Objects.equals(name, c.name) && Objects.equals(reads, c.reads)
        && Objects.equals(declared, c.declared);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, reads, declared);
  }
}
