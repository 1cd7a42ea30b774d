package dev.reloadly.operator.cli;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;

/** {@code -o}: a table for people, JSON or YAML of the same content for scripts. */
enum OutputFormat {
  table, json, yaml;

  /** Prints {@code value} as JSON or YAML; false for {@link #table}, which each command draws. */
  boolean printStructured(PrintWriter out, KubernetesSerialization serialization, Object value) {
    switch (this) {
      case json -> out.println(serialization.asJson(value));
      case yaml -> out.print(serialization.asYaml(value));
      default -> {
        return false;
      }
    }
    return true;
  }
}
