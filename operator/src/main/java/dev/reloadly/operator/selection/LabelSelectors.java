package dev.reloadly.operator.selection;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Evaluates a Kubernetes label selector against labels, as the API server would. */
public final class LabelSelectors {
  private LabelSelectors() {}

  /** Whether the selector says nothing (it then selects everything, as in Kubernetes). */
  public static boolean isEmpty(LabelSelector selector) {
    return selector == null
        || (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
  }

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (isEmpty(selector)) {
      return true;
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
        boolean ok = switch (String.valueOf(r.getOperator())) {
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
}
