package dev.reloadly.operator.lifecycle;

import java.util.Locale;

/**
 * Where a credential version is in its life, after AWS Secrets Manager's
 * AWSPENDING / AWSCURRENT / AWSPREVIOUS.
 */
public enum VersionState {
  /** Offered by the source, not yet proven valid by a token request. */
  PENDING,
  /** Served to the workloads. */
  CURRENT,
  /** Replaced by a newer version; kept for gracePeriod so workloads can finish. */
  PREVIOUS,
  /** Removed from the store; only its fingerprint and dates remain. */
  RETIRED,
  /** Reported compromised: never served again, even if the source offers it again. */
  COMPROMISED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
