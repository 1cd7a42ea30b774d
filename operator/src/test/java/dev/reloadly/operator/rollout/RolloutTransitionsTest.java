package dev.reloadly.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.RolloutStatus;
import dev.reloadly.operator.api.v1alpha1.WorkloadRolloutStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutTransitionsTest {

  @Test
  void countsWorkloadsThatBecameHealthyOrStalledOnce() {
    ReloadlyCredentialStatus before = status(
        entry("api", "v2", true, null, null),
        entry("worker", "v2", true, null, null),
        entry("cron", "v2", false, null, RolloutTransitions.STALLED + "old news"));
    ReloadlyCredentialStatus after = status(
        entry("api", "v2", true, "2026-01-01T00:00:00Z", null),
        entry("worker", "v2", false, null, RolloutTransitions.STALLED + "timeout"),
        entry("cron", "v2", false, null, RolloutTransitions.STALLED + "still"));

    assertThat(RolloutTransitions.between(before, after))
        .isEqualTo(new RolloutTransitions.Counts(1, 1));
    assertThat(RolloutTransitions.between(after, after))
        .as("nothing new, nothing counted").isEqualTo(new RolloutTransitions.Counts(0, 0));
  }

  @Test
  void aNewRevisionIsANewRollout() {
    ReloadlyCredentialStatus before = status(entry("api", "v2", true, "2026-01-01T00:00:00Z", null));
    ReloadlyCredentialStatus after = status(entry("api", "v3", true, "2026-02-01T00:00:00Z", null));

    assertThat(RolloutTransitions.between(before, after).completed()).isEqualTo(1);
    assertThat(RolloutTransitions.between(null, new ReloadlyCredentialStatus()))
        .isEqualTo(new RolloutTransitions.Counts(0, 0));
  }

  private static ReloadlyCredentialStatus status(WorkloadRolloutStatus... workloads) {
    RolloutStatus rollout = new RolloutStatus();
    rollout.setWorkloads(List.of(workloads));
    ReloadlyCredentialStatus status = new ReloadlyCredentialStatus();
    status.setRollout(rollout);
    return status;
  }

  private static WorkloadRolloutStatus entry(String name, String revision, boolean started,
      String finishedAt, String message) {
    WorkloadRolloutStatus w = new WorkloadRolloutStatus();
    w.setKind("Deployment");
    w.setName(name);
    w.setRevision(revision);
    w.setStartedAt(started ? "2025-12-31T00:00:00Z" : null);
    w.setFinishedAt(finishedAt);
    w.setHealthy(finishedAt != null ? Boolean.TRUE : Boolean.FALSE);
    w.setMessage(message);
    return w;
  }
}
