package dev.reloadly.operator.config;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * How replicas of the operator elect one leader through a coordination.k8s.io/v1 Lease in the
 * operator namespace. Only the leader reconciles and runs key maintenance.
 *
 * @param enabled false runs as the only replica (the demo and most tests)
 * @param leaseName name of the Lease; the shipped RBAC names it, so a change needs the Role too
 * @param identity this replica's name in the Lease: the pod name, else a random id
 * @param leaseDuration how long followers wait after the last renewal before taking over
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading
 * @param retryPeriod how often replicas try to acquire or renew
 * @param exitWhenLost whether losing the Lease ends the process (so it restarts as a clean
 *     follower); tests that stop a leader in-process turn it off
 */
public record LeaderElection(
    boolean enabled,
    String leaseName,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    boolean exitWhenLost) {

  public static final String DEFAULT_LEASE_NAME = "reloadly-credential-operator";
  /** The values of client-go and JOSDK. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
  public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

  public LeaderElection {
    if (leaseName == null || !leaseName.matches("[a-z0-9]([-.a-z0-9]*[a-z0-9])?")
        || leaseName.length() > 253) {
      throw new IllegalArgumentException("--lease-name: '" + leaseName
          + "' is not a Kubernetes object name (lowercase letters, digits, '-', '.')");
    }
    if (identity == null || identity.isBlank()) {
      throw new IllegalArgumentException("leader identity must not be empty");
    }
    // The order the Lease protocol needs: a leader gives up (renewDeadline) before a follower may
    // take over (leaseDuration), and retries several times within the deadline.
    if (retryPeriod.isNegative() || retryPeriod.isZero() || renewDeadline.compareTo(retryPeriod) <= 0
        || leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException("leader election needs retry period < renew deadline"
          + " < lease duration, got " + retryPeriod + ", " + renewDeadline + ", " + leaseDuration);
    }
  }

  /** Off: the one replica leads from the start. */
  public static LeaderElection off() {
    return new LeaderElection(false, DEFAULT_LEASE_NAME, "single", DEFAULT_LEASE_DURATION,
        DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD, false);
  }

  /** On, with the default timings, as `run` uses it. */
  public static LeaderElection on(String leaseName, String identity) {
    return new LeaderElection(true, leaseName, identity, DEFAULT_LEASE_DURATION,
        DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD, true);
  }

  /** The pod name (HOSTNAME, set by the kubelet), else a random id that no other replica has. */
  public static String defaultIdentity() {
    return Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank())
        .orElseGet(() -> UUID.randomUUID().toString());
  }
}
