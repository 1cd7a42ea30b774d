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

  /**
   * Parses an equality-based selector string as kubectl takes it: {@code key=value},
   * {@code key==value} or a bare {@code key} (exists), comma-separated.
   *
   * @throws IllegalArgumentException for any other form (set-based, !=)
   */
  public static LabelSelector parse(String text) {
    io.fabric8.kubernetes.api.model.LabelSelectorBuilder builder =
        new io.fabric8.kubernetes.api.model.LabelSelectorBuilder();
    for (String part : text.split(",")) {
      String term = part.trim();
      if (term.isEmpty() || term.contains("!") || term.contains("(") || term.contains(" ")) {
        throw new IllegalArgumentException("'" + text + "' is not an equality-based label"
            + " selector (key=value,key2=value2 or key)");
      }
      int eq = term.indexOf('=');
      if (eq < 0) {
        builder.addNewMatchExpression().withKey(term).withOperator("Exists").endMatchExpression();
      } else {
        String value = term.substring(term.startsWith("=", eq + 1) ? eq + 2 : eq + 1);
        builder.addToMatchLabels(term.substring(0, eq), value);
      }
    }
    return builder.build();
  }
}
