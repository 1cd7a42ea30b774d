package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The credential's compliance with Reloadly's security guidelines (docs/compliance.md). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ComplianceStatus {
  @JsonPropertyDescription("Checks that pass, of those that ran (Skip not counted), e.g. 9/11.")
  private String score;

  @JsonPropertyDescription("One entry per check.")
  private List<ComplianceCheckStatus> checks = new ArrayList<>();

  public String getScore() { return score; }
  public void setScore(String v) { this.score = v; }
  public List<ComplianceCheckStatus> getChecks() { return checks; }
  public void setChecks(List<ComplianceCheckStatus> v) { this.checks = v == null ? new ArrayList<>() : v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ComplianceStatus c && Objects.equals(score, c.score)
        && Objects.equals(checks, c.checks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(score, checks);
  }
}
