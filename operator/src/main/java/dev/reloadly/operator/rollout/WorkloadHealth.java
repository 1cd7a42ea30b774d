package dev.reloadly.operator.rollout;

import static dev.reloadly.operator.rollout.Workload.list;
import static dev.reloadly.operator.rollout.Workload.map;
import static dev.reloadly.operator.rollout.Workload.number;

import java.util.Map;

/**
 * Whether a workload's controller has rolled it out: it observed the generation the restart
 * produced, and every replica is updated and available (Argo Rollouts: phase Healthy). Read from
 * the status its controller writes; nothing here waits or asks the API server.
 */
public final class WorkloadHealth {
  /** @param stalled the controller itself gave up (Deployment ProgressDeadlineExceeded) */
  public record Health(boolean healthy, boolean stalled, String message) {}

  private WorkloadHealth() {}

  /**
   * @param generation the generation the controller must have observed (0: any); an Argo
   *     Rollout must instead have reached the restart its spec.restartAt asks for
   */
  public static Health of(Workload w, long generation) {
    return of(w, generation, null);
  }

  /**
   * @param restartedBy an Argo Rollout must have restarted its pods at or after this instant
   *     (the restart the operator just asked for, which the cached spec may not show yet)
   */
  public static Health of(Workload w, long generation, java.time.Instant restartedBy) {
    Map<String, Object> s = w.status();
    long observed = number(s.get("observedGeneration"), -1);
    if (w.kind() != dev.reloadly.operator.api.v1alpha1.WorkloadKind.Rollout
        && observed < Math.max(generation, 1)) {
      return new Health(false, false, "its controller has not observed generation "
          + Math.max(generation, 1) + " yet");
    }
    for (Object c : list(s.get("conditions"))) {
      if ("ProgressDeadlineExceeded".equals(map(c).get("reason"))) {
        return new Health(false, true, "its controller reports ProgressDeadlineExceeded");
      }
    }
    return switch (w.kind()) {
      case Deployment, StatefulSet -> {
        long desired = number(w.replicas(), 1);
        long updated = number(s.get("updatedReplicas"), 0);
        long ready = number(s.get(w.kind() == dev.reloadly.operator.api.v1alpha1.WorkloadKind
            .Deployment ? "availableReplicas" : "readyReplicas"), 0);
        long total = number(s.get("replicas"), 0);
        yield updated >= desired && ready >= desired && total <= desired
            ? new Health(true, false, desired + " of " + desired + " replicas updated and"
                + " available")
            : new Health(false, false, updated + " of " + desired + " replicas updated, " + ready
                + " available, " + total + " in all");
      }
      case DaemonSet -> {
        long desired = number(s.get("desiredNumberScheduled"), 0);
        long updated = number(s.get("updatedNumberScheduled"), 0);
        long available = number(s.get("numberAvailable"), 0);
        yield updated >= desired && available >= desired
            ? new Health(true, false, desired + " of " + desired + " pods updated and available")
            : new Health(false, false, updated + " of " + desired + " pods updated, " + available
                + " available");
      }
      case Rollout -> {
        Object phase = s.get("phase");
        Object restarted = s.get("restartedAt");
        java.time.Instant required = w.restartAt() == null ? restartedBy : restartedBy == null
            || w.restartAt().isAfter(restartedBy) ? w.restartAt() : restartedBy;
        if (required != null && (!(restarted instanceof String at)
            || java.time.Instant.parse(at).isBefore(required))) {
          yield new Health(false, false, "its controller has not restarted the pods yet");
        }
        yield "Healthy".equals(phase) ? new Health(true, false, "phase Healthy")
            : "Degraded".equals(phase) ? new Health(false, true, "phase Degraded")
            : new Health(false, false, "phase " + (phase == null ? "unknown" : phase));
      }
    };
  }
}
