package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the Reloadly security guidelines are enforced for this credential. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComplianceSpec {
  @JsonPropertyDescription(
      "warn reports findings; block holds go-live until they pass. Default: block for live,"
          + " warn for sandbox.")
  private Enforcement enforcement;

  @JsonPropertyDescription("Portal facts attested by the owner.")
  private Attestations attestations;

  public Enforcement getEnforcement() { return enforcement; }
  public void setEnforcement(Enforcement enforcement) { this.enforcement = enforcement; }
  public Attestations getAttestations() { return attestations; }
  public void setAttestations(Attestations attestations) { this.attestations = attestations; }
}
