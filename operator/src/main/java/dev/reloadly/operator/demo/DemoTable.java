package dev.reloadly.operator.demo;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Renders credentials as a fixed-width table a person reads at a glance. */
final class DemoTable {
  private static final String[] HEADERS =
      {"CREDENTIAL", "PRODUCT", "ENV", "READY", "REASON", "VERSION", "TOKEN ISSUED",
          "TOKEN EXPIRES", "TARGET"};
  /** What the columns a newcomer cannot guess mean. */
  static final String LEGEND = String.join(System.lineSeparator(),
      "VERSION is the start of the served version's fingerprint: a keyed HMAC of the client ID"
          + " and secret that tells versions apart without revealing either.",
      "TOKEN ISSUED and TOKEN EXPIRES are the bearer token in the TARGET Secret (annotations "
          + ApiLabels.TOKEN_ISSUED_AT + " and " + ApiLabels.TOKEN_EXPIRES_AT + ").");

  private DemoTable() {}

  /** {@code targetAnnotations} gives the annotations of a credential's target Secret by name. */
  static String render(List<ReloadlyCredential> credentials,
      Function<String, Map<String, String>> targetAnnotations) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (ReloadlyCredential c : credentials) {
      Optional<Condition> ready = ready(c);
      Map<String, String> target = targetAnnotations.apply(c.getMetadata().getName());
      rows.add(new String[] {
          c.getMetadata().getName(),
          c.getSpec().getProduct() == null ? "-" : c.getSpec().getProduct().wireName(),
          c.getSpec().getEnvironment() == null ? "-" : c.getSpec().getEnvironment().wireName(),
          ready.map(Condition::getStatus).orElse("Unknown"),
          ready.map(Condition::getReason).orElse("-"),
          shortVersion(target.get(ApiLabels.VERSION)),
          time(target.get(ApiLabels.TOKEN_ISSUED_AT)),
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

  /** The first hex digits of a fingerprint, as status.currentVersion has them; "-" when absent. */
  static String shortVersion(String fingerprint) {
    return fingerprint == null ? "-" : CredentialFingerprinter.shortForm(fingerprint);
  }

  /** An RFC 3339 time to the second, as the expiry is; "-" when absent. */
  static String time(String rfc3339) {
    if (rfc3339 == null) {
      return "-";
    }
    try {
      return Instant.parse(rfc3339).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return rfc3339;
    }
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
