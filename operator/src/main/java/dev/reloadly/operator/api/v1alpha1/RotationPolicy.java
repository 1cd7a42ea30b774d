package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * When a credential must be rotated. The CEL rules fall back to the defaults when a field is
 * absent so they hold with or without API-server defaulting.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = RotationPolicy.MAX_AGE + " <= duration('2160h') && " + RotationPolicy.MAX_AGE
        + " > duration('0s')",
    message = "rotation.maxAge must be more than 0 and at most 90 days (90d or 2160h)",
    fieldPath = ".maxAge")
@ValidationRule(
    value = RotationPolicy.RENEW_BEFORE + " < " + RotationPolicy.MAX_AGE,
    message = "rotation.renewBefore must be shorter than rotation.maxAge",
    fieldPath = ".renewBefore")
public class RotationPolicy {
  public static final String DEFAULT_MAX_AGE = "90d";
  public static final String DEFAULT_RENEW_BEFORE = "14d";
  public static final String DEFAULT_GRACE_PERIOD = "1h";

  // CEL has no days, so "Nd" becomes N*24 hours. Annotation values must be constants, hence the
  // spelled-out expressions.
  static final String MAX_AGE =
      "(has(self.maxAge) ? (self.maxAge.endsWith('d')"
          + " ? duration(string(int(self.maxAge.substring(0, size(self.maxAge) - 1)) * 24) + 'h')"
          + " : duration(self.maxAge)) : duration('2160h'))";
  static final String RENEW_BEFORE =
      "(has(self.renewBefore) ? (self.renewBefore.endsWith('d')"
          + " ? duration(string(int(self.renewBefore.substring(0, size(self.renewBefore) - 1)) * 24)"
          + " + 'h') : duration(self.renewBefore)) : duration('336h'))";

  @Default(DEFAULT_MAX_AGE)
  @Pattern(DurationFormat.PATTERN)
  @Size(max = DurationFormat.MAX_LENGTH)
  @JsonPropertyDescription(
      "Longest a credential version may serve, counted from when the operator first saw it."
          + " At most 90 days. Accepts days (90d) or Kubernetes durations (2160h).")
  private String maxAge;

  @Default(DEFAULT_RENEW_BEFORE)
  @Pattern(DurationFormat.PATTERN)
  @Size(max = DurationFormat.MAX_LENGTH)
  @JsonPropertyDescription(
      "How long before maxAge the owner is asked to rotate (RotationDue). Shorter than maxAge.")
  private String renewBefore;

  @Default(DEFAULT_GRACE_PERIOD)
  @Pattern(DurationFormat.PATTERN)
  @Size(max = DurationFormat.MAX_LENGTH)
  @JsonPropertyDescription(
      "How long the previous version stays available after a new one is promoted, so that"
          + " workloads still using it can finish. Skipped after a suspected compromise.")
  private String gracePeriod;

  public String getMaxAge() { return maxAge; }
  public void setMaxAge(String maxAge) { this.maxAge = maxAge; }
  public String getRenewBefore() { return renewBefore; }
  public void setRenewBefore(String renewBefore) { this.renewBefore = renewBefore; }
  public String getGracePeriod() { return gracePeriod; }
  public void setGracePeriod(String gracePeriod) { this.gracePeriod = gracePeriod; }
}
