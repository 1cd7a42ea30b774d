package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the target Secret holds. */
public enum TargetMode {
  /** Only a bearer token: apps never see the client secret. */
  @JsonProperty("token")
  TOKEN,
  /** Only the client ID and secret, for apps that mint tokens themselves. */
  @JsonProperty("credentials")
  CREDENTIALS,
  /** Both. */
  @JsonProperty("both")
  BOTH;

  public boolean includesToken() {
    return this != CREDENTIALS;
  }

  public boolean includesCredentials() {
    return this != TOKEN;
  }
}
