package dev.reloadly.operator.rollout;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.RolloutStatus;
import dev.reloadly.operator.api.v1alpha1.WorkloadRolloutStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which workload rollouts finished between two statuses: newly healthy (completed) or newly
 * stalled. Read from statuses the operator wrote, so each is counted once, whatever the number
 * of reconciles in between.
 */
public final class RolloutTransitions {
  /** Prefix of a stalled workload's message in status (set by {@link ConsumerRollout}). */
  static final String STALLED = "stalled: ";

  private RolloutTransitions() {}

  public record Counts(int completed, int stalled) {}

  public static Counts between(ReloadlyCredentialStatus before, ReloadlyCredentialStatus after) {
    Map<String, WorkloadRolloutStatus> was = new HashMap<>();
    workloads(before).forEach(w -> was.put(key(w), w));
    int completed = 0;
    int stalled = 0;
    for (WorkloadRolloutStatus now : workloads(after)) {
      WorkloadRolloutStatus then = was.get(key(now));
      if (finished(now) && (then == null || !finished(then))) {
        completed++;
      } else if (stalled(now) && (then == null || !stalled(then))) {
        stalled++;
      }
    }
    return new Counts(completed, stalled);
  }

  private static boolean finished(WorkloadRolloutStatus w) {
    return Boolean.TRUE.equals(w.getHealthy()) && w.getFinishedAt() != null
        && w.getStartedAt() != null;
  }

  private static boolean stalled(WorkloadRolloutStatus w) {
    return w.getMessage() != null && w.getMessage().startsWith(STALLED);
  }

  private static String key(WorkloadRolloutStatus w) {
    return w.getKind() + "/" + w.getName() + "@" + w.getRevision();
  }

  private static List<WorkloadRolloutStatus> workloads(ReloadlyCredentialStatus status) {
    RolloutStatus rollout = status == null ? null : status.getRollout();
    return rollout == null || rollout.getWorkloads() == null ? List.of() : rollout.getWorkloads();
  }
}
