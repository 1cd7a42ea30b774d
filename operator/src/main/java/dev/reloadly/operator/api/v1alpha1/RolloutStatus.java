package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The roll of the consumers onto what the target Secret serves now. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RolloutStatus {
  @JsonPropertyDescription("What is rolled out: the served version's fingerprint, or"
      + " withdrawn-<fingerprint> after a compromise left nothing to serve.")
  private String revision;

  @JsonPropertyDescription("When the token rolled out to environment-variable readers was minted,"
      + " in epoch seconds; absent when no token is served.")
  private String tokenIssuedAt;

  @JsonPropertyDescription("Why: initial (the first version: nothing restarted), version (a new version replaced the current one), token (a token"
      + " refresh), compromise (no delay, no concurrency bound).")
  private String trigger;

  @JsonPropertyDescription("When the operator saw the change (RFC 3339); restarts begin"
      + " consumers.delay later.")
  private String detectedAt;

  @JsonPropertyDescription("When every consumer was healthy on this revision (RFC 3339).")
  private String completedAt;

  @JsonPropertyDescription("Per workload: when its restart started and finished, and whether it"
      + " is healthy.")
  private List<WorkloadRolloutStatus> workloads = new ArrayList<>();

  public String getRevision() { return revision; }
  public void setRevision(String v) { this.revision = v; }
  public String getTokenIssuedAt() { return tokenIssuedAt; }
  public void setTokenIssuedAt(String v) { this.tokenIssuedAt = v; }
  public String getTrigger() { return trigger; }
  public void setTrigger(String v) { this.trigger = v; }
  public String getDetectedAt() { return detectedAt; }
  public void setDetectedAt(String v) { this.detectedAt = v; }
  public String getCompletedAt() { return completedAt; }
  public void setCompletedAt(String v) { this.completedAt = v; }
  public List<WorkloadRolloutStatus> getWorkloads() { return workloads; }
  public void setWorkloads(List<WorkloadRolloutStatus> v) {
    this.workloads = v == null ? new ArrayList<>() : v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RolloutStatus r && Objects.equals(revision, r.revision)
        && Objects.equals(tokenIssuedAt, r.tokenIssuedAt)
        && Objects.equals(trigger, r.trigger) && Objects.equals(detectedAt, r.detectedAt)
        && Objects.equals(completedAt, r.completedAt) && Objects.equals(workloads, r.workloads);
  }

  @Override
  public int hashCode() {
    return Objects.hash(revision, tokenIssuedAt, trigger, detectedAt, completedAt, workloads);
  }
}
