package dev.reloadly.operator.rollout;

import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import java.util.Optional;

/**
 * A workload that consumes the target Secret.
 *
 * @param workload the cached workload; empty when the spec names one that does not exist
 * @param rolled whether the operator restarts it (declared, or discovered with includeDiscovered)
 */
public record Consumer(WorkloadKind kind, String name, Optional<Workload> workload, Reads reads,
    boolean declared, boolean rolled) {

  public String key() {
    return kind + "/" + name;
  }

  /** As status.consumers says it: env, file, both, none, or missing. */
  public String readsWord() {
    return workload.isEmpty() ? "missing" : reads.word();
  }
}
