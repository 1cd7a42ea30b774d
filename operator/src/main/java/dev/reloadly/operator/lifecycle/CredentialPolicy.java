package dev.reloadly.operator.lifecycle;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.TokenPolicy;
import dev.reloadly.operator.time.DurationParser;
import dev.reloadly.operator.token.RefreshSchedule;
import java.time.Duration;
import java.util.Optional;

/**
 * A spec's rotation and token settings with defaults applied and durations parsed. Building it
 * is the reconciler's own check of what the schema should already have rejected.
 */
public record CredentialPolicy(RotationSchedule rotation, Duration gracePeriod,
    boolean tokenEnabled, RefreshSchedule refresh) {

  static final Duration MAX_AGE_LIMIT = Duration.ofDays(90);

  /** @throws IllegalArgumentException with a message naming the field */
  public static CredentialPolicy of(ReloadlyCredentialSpec spec) {
    RotationPolicy rotation = Optional.ofNullable(spec.getRotation()).orElseGet(RotationPolicy::new);
    Duration maxAge = parse("spec.rotation.maxAge", rotation.getMaxAge(), RotationPolicy.DEFAULT_MAX_AGE);
    Duration renewBefore = parse("spec.rotation.renewBefore", rotation.getRenewBefore(),
        RotationPolicy.DEFAULT_RENEW_BEFORE);
    Duration grace = parse("spec.rotation.gracePeriod", rotation.getGracePeriod(),
        RotationPolicy.DEFAULT_GRACE_PERIOD);
    if (maxAge.isZero() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
      throw new IllegalArgumentException("spec.rotation.maxAge must be more than 0 and at most 90 days");
    }
    if (renewBefore.compareTo(maxAge) >= 0) {
      throw new IllegalArgumentException("spec.rotation.renewBefore must be shorter than maxAge");
    }
    TokenPolicy token = Optional.ofNullable(spec.getToken()).orElseGet(TokenPolicy::new);
    String refreshBefore = Optional.ofNullable(token.getRefreshBefore())
        .orElse(TokenPolicy.DEFAULT_REFRESH_BEFORE);
    RefreshSchedule refresh;
    try {
      refresh = RefreshSchedule.parse(refreshBefore);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.token.refreshBefore: " + e.getMessage());
    }
    return new CredentialPolicy(new RotationSchedule(maxAge, renewBefore), grace,
        !Boolean.FALSE.equals(token.getEnabled()), refresh);
  }

  private static Duration parse(String field, String value, String fallback) {
    try {
      return DurationParser.parse(value == null ? fallback : value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage());
    }
  }
}
