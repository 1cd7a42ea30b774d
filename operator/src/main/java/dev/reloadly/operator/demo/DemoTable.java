package dev.reloadly.operator.demo;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Renders credentials as a fixed-width table a person reads at a glance. */
final class DemoTable {
  private static final String[] HEADERS =
      {"CREDENTIAL", "PRODUCT", "ENV", "READY", "REASON", "VERSION", "TOKEN EXPIRES", "TARGET"};

  private DemoTable() {}

  static String render(List<ReloadlyCredential> credentials,
      java.util.function.Function<String, String> servedVersion) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (ReloadlyCredential c : credentials) {
      Optional<Condition> ready = ready(c);
      rows.add(new String[] {
          c.getMetadata().getName(),
          c.getSpec().getProduct() == null ? "-" : c.getSpec().getProduct().wireName(),
          c.getSpec().getEnvironment() == null ? "-" : c.getSpec().getEnvironment().wireName(),
          ready.map(Condition::getStatus).orElse("Unknown"),
          ready.map(Condition::getReason).orElse("-"),
          shortVersion(servedVersion.apply(c.getMetadata().getName())),
          c.getStatus() == null || c.getStatus().getTokenExpiresAt() == null ? "-"
              : c.getStatus().getTokenExpiresAt(),
          c.getStatus() == null || c.getStatus().getTargetSecretName() == null ? "-"
              : c.getStatus().getTargetSecretName()});
    }
    int[] widths = new int[HEADERS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        sb.append(String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      sb.append(System.lineSeparator());
    }
    return sb.toString();
  }

  /** The first hex digits of a fingerprint: enough to tell versions apart at a glance. */
  static String shortVersion(String fingerprint) {
    if (fingerprint == null) {
      return "-";
    }
    String hex = fingerprint.substring(fingerprint.indexOf(':') + 1);
    return hex.substring(0, Math.min(12, hex.length()));
  }

  static String notReady(List<ReloadlyCredential> credentials) {
    return credentials.stream()
        .filter(c -> !DemoRunner.isReady(c))
        .map(c -> c.getMetadata().getName() + " (" + ready(c)
            .map(r -> r.getReason() + ": " + r.getMessage()).orElse("no status yet") + ")")
        .collect(Collectors.joining("; "));
  }

  private static Optional<Condition> ready(ReloadlyCredential c) {
    return c == null || c.getStatus() == null ? Optional.empty()
        : Conditions.find(c.getStatus().getConditions(), Conditions.READY);
  }
}
