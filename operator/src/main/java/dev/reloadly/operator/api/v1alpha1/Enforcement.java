package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a failed compliance check does. */
public enum Enforcement {
  /** Report only. */
  @JsonProperty("warn")
  WARN,
  /** Hold go-live: the credential is not served until the checks pass. */
  @JsonProperty("block")
  BLOCK
}
