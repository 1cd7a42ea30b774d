package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Facts about the Reloadly developer portal that only a person can attest to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Attestations {
  @JsonPropertyDescription("The portal account has two-factor authentication on (guideline C3).")
  private Boolean portalTwoFactor;

  @Pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
  @JsonPropertyDescription(
      "Date (YYYY-MM-DD) the portal password was last changed; due every 90 days (guideline C2).")
  private String portalPasswordRotatedAt;

  public Boolean getPortalTwoFactor() { return portalTwoFactor; }
  public void setPortalTwoFactor(Boolean v) { this.portalTwoFactor = v; }
  public String getPortalPasswordRotatedAt() { return portalPasswordRotatedAt; }
  public void setPortalPasswordRotatedAt(String v) { this.portalPasswordRotatedAt = v; }
}
