package dev.reloadly.operator.rollout;

import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who consumes a credential's target Secret: the workloads the spec declares (by name or
 * selector) and those found reading the Secret, all in the credential's own namespace. Pure.
 */
public final class ConsumerDiscovery {
  private ConsumerDiscovery() {}

  /**
   * @param workloads every cached workload of the credential's namespace
   * @param target the target Secret's name
   * @param tokenKey the data key that holds the bearer token
   */
  public static List<Consumer> find(ConsumerPolicy policy, List<Workload> workloads,
      String target, String tokenKey) {
    Map<String, Workload> byKey = workloads.stream()
        .collect(Collectors.toMap(Workload::key, Function.identity(), (a, b) -> a));
    List<Consumer> found = new ArrayList<>();
    for (Workload w : workloads) {
      Reads reads = w.reads(target, tokenKey);
      boolean declared = policy.declares(w);
      if (declared || reads.any()) {
        found.add(new Consumer(w.kind(), w.name(), Optional.of(w), reads, declared,
            declared || policy.includeDiscovered()));
      }
    }
    for (WorkloadRef ref : policy.workloads()) {
      if (!byKey.containsKey(ref.getKind() + "/" + ref.getName())) {
        found.add(new Consumer(ref.getKind(), ref.getName(), Optional.empty(), Reads.NONE, true,
            false));
      }
    }
    found.sort(Comparator.comparing(Consumer::key));
    return found;
  }
}
