package dev.reloadly.operator.rollout;

import java.time.Instant;

/** What a rollout does to workloads; the cluster implementation is {@link ClusterWorkloadActions}. */
public interface WorkloadActions {
  /**
   * Restarts {@code w} for {@code revision} (restart strategy) and returns the generation its
   * controller must observe.
   */
  long restart(Workload w, String revision, Instant now);

  /** One step of the evict strategy for {@code w}: pods created before {@code since} go. */
  EvictStep evictNext(Workload w, Instant since);

  enum EvictStep {
    /** No pod from before the rollout is left, and none is on its way out. */
    NONE_LEFT,
    /** One old pod was evicted; its replacement must be Ready before the next. */
    EVICTED,
    /** A pod is terminating or not Ready yet: wait before evicting another. */
    WAITING,
    /** A PodDisruptionBudget refused the eviction (429), or it failed: retry later. */
    BLOCKED
  }
}
