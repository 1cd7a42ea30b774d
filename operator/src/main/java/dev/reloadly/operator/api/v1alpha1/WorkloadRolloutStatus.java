package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One workload's part in a rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRolloutStatus {
  @JsonPropertyDescription("Deployment, StatefulSet, DaemonSet or Rollout.")
  private String kind;

  @JsonPropertyDescription("Name of the workload.")
  private String name;

  @JsonPropertyDescription("What it is rolled to, as written into its pod template's"
      + " security.reloadly.dev/restarted-for annotation: the version's fingerprint, with"
      + " +token-<epoch second> for a workload that reads the token from an environment variable.")
  private String revision;

  @JsonPropertyDescription("When the operator restarted it, or began evicting its pods (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When it was first seen healthy on the revision (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("Its controller observed the change and all updated replicas are"
      + " available (Rollout: phase Healthy).")
  private Boolean healthy;

  @JsonPropertyDescription("The workload's metadata.generation after the restart patch, which its"
      + " controller must observe before it counts as healthy (restart strategy).")
  private Long generation;

  @JsonPropertyDescription("Why it is not healthy yet, or why it stalled.")
  private String message;

  public WorkloadRolloutStatus() {}

  public WorkloadRolloutStatus(String kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public String getKind() { return kind; }
  public void setKind(String v) { this.kind = v; }
  public String getName() { return name; }
  public void setName(String v) { this.name = v; }
  public String getRevision() { return revision; }
  public void setRevision(String v) { this.revision = v; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String v) { this.startedAt = v; }
  public String getFinishedAt() { return finishedAt; }
  public void setFinishedAt(String v) { this.finishedAt = v; }
  public Boolean getHealthy() { return healthy; }
  public void setHealthy(Boolean v) { this.healthy = v; }
  public Long getGeneration() { return generation; }
  public void setGeneration(Long v) { this.generation = v; }
  public String getMessage() { return message; }
  public void setMessage(String v) { this.message = v; }

  /** A copy, so a status being drafted never shares objects with the one observed. */
  public WorkloadRolloutStatus copy() {
    WorkloadRolloutStatus c = new WorkloadRolloutStatus(kind, name);
    c.revision = revision;
    c.startedAt = startedAt;
    c.finishedAt = finishedAt;
    c.healthy = healthy;
    c.generation = generation;
    c.message = message;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkloadRolloutStatus w && Objects.equals(kind, w.kind)
        && Objects.equals(name, w.name) && Objects.equals(revision, w.revision)
        && Objects.equals(startedAt, w.startedAt)
        && Objects.equals(finishedAt, w.finishedAt) && Objects.equals(healthy, w.healthy)
        && Objects.equals(generation, w.generation) && Objects.equals(message, w.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, revision, startedAt, finishedAt, healthy, generation, message);
  }
}
