package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A suspected compromise: when it was reported and what the operator withdrew. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IncidentStatus {
  @JsonPropertyDescription("When the operator saw the compromised annotation (RFC 3339).")
  private String reportedAt;

  @JsonPropertyDescription("The reason given in the annotation.")
  private String reason;

  @JsonPropertyDescription("Fingerprint of the version marked compromised.")
  private String fingerprint;

  @JsonPropertyDescription("What was withdrawn from the target Secret.")
  private String removed;

  @JsonPropertyDescription("When a new version replaced the compromised one (RFC 3339).")
  private String resolvedAt;

  public IncidentStatus() {}

  public IncidentStatus(String reportedAt, String reason, String fingerprint, String removed) {
    this.reportedAt = reportedAt;
    this.reason = reason;
    this.fingerprint = fingerprint;
    this.removed = removed;
  }

  public String getReportedAt() { return reportedAt; }
  public void setReportedAt(String v) { this.reportedAt = v; }
  public String getReason() { return reason; }
  public void setReason(String v) { this.reason = v; }
  public String getFingerprint() { return fingerprint; }
  public void setFingerprint(String v) { this.fingerprint = v; }
  public String getRemoved() { return removed; }
  public void setRemoved(String v) { this.removed = v; }
  public String getResolvedAt() { return resolvedAt; }
  public void setResolvedAt(String v) { this.resolvedAt = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof IncidentStatus i && Objects.equals(reportedAt, i.reportedAt)
        && Objects.equals(reason, i.reason) && Objects.equals(fingerprint, i.fingerprint)
        && Objects.equals(removed, i.removed) && Objects.equals(resolvedAt, i.resolvedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reportedAt, reason, fingerprint, removed, resolvedAt);
  }
}
