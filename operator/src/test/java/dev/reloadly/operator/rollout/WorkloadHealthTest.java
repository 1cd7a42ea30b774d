package dev.reloadly.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.testing.Workloads;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadHealthTest {
  static final Instant RESTART = Instant.parse("2026-11-25T10:00:00Z");

  private static Workload with(WorkloadKind kind, Map<String, Object> status) {
    GenericKubernetesResource r =
        Workloads.workload(kind, "payments", "w", "s", Workloads.Reading.VOLUME);
    if (kind == WorkloadKind.Rollout) {
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
      spec.put("restartAt", RESTART.toString());
    }
    r.getMetadata().setGeneration(2L);
    r.setAdditionalProperty("status", status);
    return Workload.from(r).orElseThrow();
  }

  @Test
  void aDeploymentIsHealthyOnlyOnceItsControllerObservedTheRestartAndAllReplicasAreAvailable() {
    Map<String, Object> rolled = Map.of("observedGeneration", 2, "replicas", 2,
        "updatedReplicas", 2, "availableReplicas", 2);
    assertThat(WorkloadHealth.of(with(WorkloadKind.Deployment, rolled), 2).healthy())
        .isTrue();
    assertThat(WorkloadHealth.of(with(WorkloadKind.Deployment, rolled), 3).healthy())
        .as("generation 3 not observed yet").isFalse();
    assertThat(WorkloadHealth.of(with(WorkloadKind.Deployment, Map.of("observedGeneration", 2,
        "replicas", 3, "updatedReplicas", 2, "availableReplicas", 2)), 2).healthy())
        .as("an old pod is still there").isFalse();
    assertThat(WorkloadHealth.of(with(WorkloadKind.Deployment, Map.of("observedGeneration", 2,
        "replicas", 2, "updatedReplicas", 2, "availableReplicas", 1)), 2).healthy())
        .as("one not available").isFalse();
  }

  @Test
  void aStatefulSetCountsReadyReplicas() {
    assertThat(WorkloadHealth.of(with(WorkloadKind.StatefulSet, Map.of("observedGeneration", 2,
        "replicas", 2, "updatedReplicas", 2, "readyReplicas", 2)), 2).healthy()).isTrue();
    assertThat(WorkloadHealth.of(with(WorkloadKind.StatefulSet, Map.of("observedGeneration", 2,
        "replicas", 2, "updatedReplicas", 1, "readyReplicas", 2)), 2).healthy()).isFalse();
  }

  @Test
  void aDaemonSetCountsScheduledPods() {
    assertThat(WorkloadHealth.of(with(WorkloadKind.DaemonSet, Map.of("observedGeneration", 2,
        "desiredNumberScheduled", 3, "updatedNumberScheduled", 3, "numberAvailable", 3)), 2).healthy()).isTrue();
    assertThat(WorkloadHealth.of(with(WorkloadKind.DaemonSet, Map.of("observedGeneration", 2,
        "desiredNumberScheduled", 3, "updatedNumberScheduled", 2, "numberAvailable", 3)), 2).healthy()).isFalse();
  }

  @Test
  void anArgoRolloutMustBeHealthyAfterItsRestart() {
    assertThat(WorkloadHealth.of(with(WorkloadKind.Rollout, Map.of("phase", "Healthy",
        "restartedAt", RESTART.toString())), 0).healthy()).isTrue();
    assertThat(WorkloadHealth.of(with(WorkloadKind.Rollout, Map.of("phase", "Healthy")), 0).healthy()).as("not restarted yet").isFalse();
    assertThat(WorkloadHealth.of(with(WorkloadKind.Rollout, Map.of("phase", "Degraded",
        "restartedAt", RESTART.toString())), 0).stalled()).isTrue();
  }
}
