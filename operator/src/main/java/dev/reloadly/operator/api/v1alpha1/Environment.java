package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Reloadly environment a credential belongs to. */
public enum Environment {
  @JsonProperty("live")
  LIVE,
  @JsonProperty("sandbox")
  SANDBOX;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
