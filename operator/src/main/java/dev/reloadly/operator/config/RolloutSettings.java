package dev.reloadly.operator.config;

/**
 * Operator-wide rollout settings.
 *
 * @param maxConcurrent how many workloads may be rolling at once over all credentials
 * @param argoRollouts whether argoproj.io Rollouts are watched (their CRD must be installed)
 */
public record RolloutSettings(int maxConcurrent, boolean argoRollouts) {
  public static final int DEFAULT_MAX_CONCURRENT = 10;

  public RolloutSettings {
    if (maxConcurrent < 1 || maxConcurrent > 1000) {
      throw new IllegalArgumentException("the operator-wide rollout cap must be between 1 and"
          + " 1000, got " + maxConcurrent);
    }
  }

  public static RolloutSettings defaults() {
    return new RolloutSettings(DEFAULT_MAX_CONCURRENT, false);
  }
}
