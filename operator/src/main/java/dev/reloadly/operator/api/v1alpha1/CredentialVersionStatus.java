package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One credential version as status shows it: a fingerprint and its lifecycle, never the value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialVersionStatus {
  @JsonPropertyDescription("HMAC-SHA256 fingerprint of the client ID and secret under an operator key.")
  private String fingerprint;

  @JsonPropertyDescription("pending, current, previous, retired or compromised.")
  private String state;

  @JsonPropertyDescription("When the operator first saw this version (RFC 3339).")
  private String createdAt;

  @JsonPropertyDescription("When a token request last proved this version valid (RFC 3339).")
  private String validatedAt;

  @JsonPropertyDescription("When this version stopped being current (RFC 3339).")
  private String supersededAt;

  public CredentialVersionStatus() {}

  public CredentialVersionStatus(String fingerprint, String state, String createdAt,
      String validatedAt, String supersededAt) {
    this.fingerprint = fingerprint;
    this.state = state;
    this.createdAt = createdAt;
    this.validatedAt = validatedAt;
    this.supersededAt = supersededAt;
  }

  public String getFingerprint() { return fingerprint; }
  public void setFingerprint(String v) { this.fingerprint = v; }
  public String getState() { return state; }
  public void setState(String v) { this.state = v; }
  public String getCreatedAt() { return createdAt; }
  public void setCreatedAt(String v) { this.createdAt = v; }
  public String getValidatedAt() { return validatedAt; }
  public void setValidatedAt(String v) { this.validatedAt = v; }
  public String getSupersededAt() { return supersededAt; }
  public void setSupersededAt(String v) { this.supersededAt = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof CredentialVersionStatus v
        && Objects.equals(fingerprint, v.fingerprint) && Objects.equals(state, v.state)
        && Objects.equals(createdAt, v.createdAt) && Objects.equals(validatedAt, v.validatedAt)
        && Objects.equals(supersededAt, v.supersededAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fingerprint, state, createdAt, validatedAt, supersededAt);
  }
}
