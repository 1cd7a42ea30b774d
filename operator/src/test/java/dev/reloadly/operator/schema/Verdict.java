package dev.reloadly.operator.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * What an API server would answer to a ReloadlyCredential: OpenAPI findings
 * ({@code [keyword] $.path: ...}) and CEL rule findings ({@code [rule] $.path: message}). Empty
 * lists mean accepted.
 */
record Verdict(List<String> structural, List<String> rules) {
  Verdict {
    structural = List.copyOf(structural);
    rules = List.copyOf(rules);
  }

  boolean accepted() {
    return structural.isEmpty() && rules.isEmpty();
  }

  List<String> messages() {
    List<String> all = new ArrayList<>(structural);
    all.addAll(rules);
    return all;
  }
}
