package dev.reloadly.operator.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * What an API server would answer to a ReloadlyCredential: OpenAPI findings
 * ({@code [keyword] $.path: ...}) and CEL rule findings ({@code [rule] $.path: message}). Empty
 * lists mean accepted.
 */
public record Verdict(List<String> structural, List<String> rules) {
  public Verdict {
    structural = List.copyOf(structural);
    rules = List.copyOf(rules);
  }

  public boolean accepted() {
    return structural.isEmpty() && rules.isEmpty();
  }

  public List<String> messages() {
    List<String> all = new ArrayList<>(structural);
    all.addAll(rules);
    return all;
  }
}
