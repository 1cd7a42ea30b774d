package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How consumers pick up a new credential. */
public enum RolloutStrategy {
  /** Rolling restart through the pod template (the kubectl rollout restart annotation). */
  @JsonProperty("restart")
  RESTART,
  /** Evict pods one by one through the Eviction API, honouring PodDisruptionBudgets. */
  @JsonProperty("evict")
  EVICT,
  /** Do not touch the workloads: they reload the Secret themselves. */
  @JsonProperty("none")
  NONE
}
