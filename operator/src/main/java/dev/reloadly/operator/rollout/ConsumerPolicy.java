package dev.reloadly.operator.rollout;

import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import dev.reloadly.operator.selection.LabelSelectors;
import dev.reloadly.operator.time.DurationParser;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** spec.consumers with its defaults applied and durations parsed. */
public record ConsumerPolicy(List<WorkloadRef> workloads, LabelSelector selector,
    RolloutStrategy strategy, int maxConcurrent, boolean includeDiscovered, Duration delay,
    Duration timeout) {

  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(10);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /** @throws IllegalArgumentException naming the field */
  public static ConsumerPolicy of(Consumers consumers) {
    Consumers c = Optional.ofNullable(consumers).orElseGet(Consumers::new);
    if (c.getWorkloads() != null && c.getWorkloads().contains(null)) {
      // JSON [null] without the schema: List.copyOf would throw a NullPointerException.
      throw new IllegalArgumentException("spec.consumers.workloads must not hold empty (null)"
          + " entries");
    }
    return new ConsumerPolicy(c.getWorkloads() == null ? List.of() : List.copyOf(c.getWorkloads()),
        c.getSelector(), c.getStrategy() == null ? RolloutStrategy.RESTART : c.getStrategy(),
        c.getMaxConcurrent() == null ? 1 : Math.max(1, c.getMaxConcurrent()),
        Boolean.TRUE.equals(c.getIncludeDiscovered()),
        parse("spec.consumers.delay", c.getDelay(), DEFAULT_DELAY),
        parse("spec.consumers.timeout", c.getTimeout(), DEFAULT_TIMEOUT));
  }

  /** Whether the spec names {@code w}, one by one or through the selector. */
  public boolean declares(Workload w) {
    if (workloads.stream().anyMatch(r -> r.getKind() == w.kind() && w.name().equals(r.getName()))) {
      return true;
    }
    return selector != null && matches(selector, w.labels());
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    // An empty selector would pick every workload in the namespace: the schema's intent is
    // a choice, so it picks none.
    return !LabelSelectors.isEmpty(selector) && LabelSelectors.matches(selector, labels);
  }

  private static Duration parse(String field, String value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return DurationParser.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage());
    }
  }
}
