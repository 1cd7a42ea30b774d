package dev.reloadly.operator.rollout;

import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import dev.reloadly.operator.time.DurationParser;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
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
    if ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty())) {
      // An empty selector would pick every workload in the namespace: the schema's intent is
      // a choice, so it picks none.
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok = switch (r.getOperator()) {
          case "In" -> value != null && values.contains(value);
          case "NotIn" -> value == null || !values.contains(value);
          case "Exists" -> labels.containsKey(r.getKey());
          case "DoesNotExist" -> !labels.containsKey(r.getKey());
          default -> false;
        };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
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
