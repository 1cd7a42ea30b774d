package dev.reloadly.operator.cli;

import dev.reloadly.operator.api.v1alpha1.ComplianceCheckStatus;
import dev.reloadly.operator.api.v1alpha1.ConsumerStatus;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.EgressStatus;
import dev.reloadly.operator.api.v1alpha1.IncidentStatus;
import dev.reloadly.operator.api.v1alpha1.NatNodeStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.RolloutStatus;
import dev.reloadly.operator.api.v1alpha1.WorkloadRolloutStatus;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How `status` shows a credential's status. Reads only what the operator wrote; relative times
 * ("in 81d", "3h ago") count from the {@code now} given, so output is testable.
 */
final class StatusView {
  private final Instant now;

  StatusView(Instant now) {
    this.now = now;
  }

  /** The fields of the table, and the whole status, for -o json and yaml. */
  Map<String, Object> summary(ReloadlyCredential credential) {
    ReloadlyCredentialStatus status = status(credential);
    Optional<Condition> ready = condition(status, Conditions.READY);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("namespace", credential.getMetadata().getNamespace());
    row.put("name", credential.getMetadata().getName());
    row.put("ready", ready.map(Condition::getStatus).orElse(null));
    row.put("reason", ready.map(Condition::getReason).orElse(null));
    row.put("message", ready.map(Condition::getMessage).orElse(null));
    row.put("observedGeneration", status.getObservedGeneration());
    row.put("generation", credential.getMetadata().getGeneration());
    row.put("currentVersion", currentVersion(status));
    row.put("nextRotationAt", status.getNextRotationAt());
    row.put("tokenExpiresAt", status.getTokenExpiresAt());
    row.put("consumers", status.getConsumers().size());
    row.put("compliant", condition(status, Conditions.COMPLIANT).map(Condition::getStatus)
        .orElse(null));
    row.put("status", credential.getStatus());
    return row;
  }

  void table(PrintWriter out, List<ReloadlyCredential> credentials, boolean withNamespace) {
    Table table = withNamespace
        ? new Table("NAMESPACE", "NAME", "READY", "REASON", "VERSION", "NEXT ROTATION",
            "TOKEN EXPIRES", "CONSUMERS", "COMPLIANT", "AGE")
        : new Table("NAME", "READY", "REASON", "VERSION", "NEXT ROTATION", "TOKEN EXPIRES",
            "CONSUMERS", "COMPLIANT", "AGE");
    for (ReloadlyCredential credential : credentials) {
      ReloadlyCredentialStatus status = status(credential);
      Optional<Condition> ready = condition(status, Conditions.READY);
      Object[] cells = {
          credential.getMetadata().getName(),
          ready.map(Condition::getStatus).orElse("Unknown"),
          ready.map(Condition::getReason).orElse(stale(credential) ? "NotObservedYet" : null),
          currentVersion(status),
          relative(status.getNextRotationAt()),
          relative(status.getTokenExpiresAt()),
          status.getConsumers().size(),
          condition(status, Conditions.COMPLIANT).map(Condition::getStatus).orElse(null),
          age(credential.getMetadata().getCreationTimestamp())};
      if (withNamespace) {
        Object[] withNs = new Object[cells.length + 1];
        withNs[0] = credential.getMetadata().getNamespace();
        System.arraycopy(cells, 0, withNs, 1, cells.length);
        cells = withNs;
      }
      table.row(cells);
    }
    table.print(out, "");
  }

  /** Every part of one credential's status, section by section. */
  void describe(PrintWriter out, ReloadlyCredential credential) {
    ReloadlyCredentialStatus status = status(credential);
    Optional<Condition> ready = condition(status, Conditions.READY);
    Table head = Table.headless(2);
    head.row("Name:", credential.getMetadata().getName());
    head.row("Namespace:", credential.getMetadata().getNamespace());
    head.row("Ready:", ready.map(c -> c.getStatus() + " (" + c.getReason() + ") "
        + Optional.ofNullable(c.getMessage()).orElse("")).orElse("Unknown: no status yet"));
    if (stale(credential)) {
      head.row("Observed:", "the operator has not reconciled generation "
          + credential.getMetadata().getGeneration() + " of the spec yet"
          + (status.getObservedGeneration() == null ? ""
              : " (the status describes generation " + status.getObservedGeneration() + ")"));
    }
    head.row("Current version:", currentVersion(status));
    head.row("Target Secret:", status.getTargetSecretName());
    head.row("Next rotation:", absoluteAndRelative(status.getNextRotationAt()));
    head.row("Token expires:", absoluteAndRelative(status.getTokenExpiresAt()));
    head.row("Sealing key:", status.getSealingKey() == null ? null
        : status.getSealingKey().getKeyId() + (Boolean.TRUE.equals(status.getSealingKey()
            .getNewest()) ? " (newest)" : " (not the newest: re-seal)"));
    head.row("Compliance:", status.getCompliance() == null ? null
        : status.getCompliance().getScore() + " checks pass");
    head.print(out, "");

    section(out, "Conditions", status.getConditions().isEmpty() ? null : () -> {
      Table t = new Table("TYPE", "STATUS", "REASON", "SINCE", "MESSAGE");
      status.getConditions().forEach(c -> t.row(c.getType(), c.getStatus(), c.getReason(),
          relative(c.getLastTransitionTime()), c.getMessage()));
      return t;
    });
    section(out, "Versions", status.getVersions().isEmpty() ? null : () -> {
      Table t = new Table("VERSION", "STATE", "CREATED", "VALIDATED", "SUPERSEDED");
      for (CredentialVersionStatus v : status.getVersions()) {
        t.row(shortFingerprint(v.getFingerprint()), v.getState(), relative(v.getCreatedAt()),
            relative(v.getValidatedAt()), relative(v.getSupersededAt()));
      }
      return t;
    });
    section(out, "Consumers", status.getConsumers().isEmpty() ? null : () -> {
      Table t = new Table("KIND", "NAME", "READS", "DECLARED");
      for (ConsumerStatus c : status.getConsumers()) {
        t.row(c.getKind(), c.getName(), c.getReads(), c.getDeclared());
      }
      return t;
    });
    RolloutStatus rollout = status.getRollout();
    section(out, "Rollout", rollout == null ? null : () -> {
      out.println("  " + rollout.getTrigger() + " rollout of " + shortFingerprint(
          rollout.getRevision()) + ", detected " + relative(rollout.getDetectedAt())
          + (rollout.getCompletedAt() == null ? ", not complete"
              : ", completed " + relative(rollout.getCompletedAt())));
      if (rollout.getWorkloads().isEmpty()) {
        return null;
      }
      Table t = new Table("KIND", "NAME", "STARTED", "FINISHED", "HEALTHY", "MESSAGE");
      for (WorkloadRolloutStatus w : rollout.getWorkloads()) {
        t.row(w.getKind(), w.getName(), relative(w.getStartedAt()), relative(w.getFinishedAt()),
            w.getHealthy(), w.getMessage());
      }
      return t;
    });
    EgressStatus egress = status.getEgress();
    section(out, "Egress", egress == null ? null : () -> {
      out.println("  policies: " + (egress.getPolicies().isEmpty() ? "<none>"
          : String.join(", ", egress.getPolicies())));
      if (egress.getProbe() != null) {
        out.println("  probe: HTTP " + egress.getProbe().getHttpStatus() + " from "
            + egress.getProbe().getSourceIP() + ", finished " + relative(egress.getProbe()
            .getFinishedAt()));
      }
      if (egress.getNatNodes().isEmpty()) {
        return null;
      }
      Table t = new Table("NAT NODE", "INTERNAL IP", "STABLE IP", "READY");
      for (NatNodeStatus n : egress.getNatNodes()) {
        t.row(n.getName(), n.getInternalIP(), n.getStableIP(), n.getReady());
      }
      return t;
    });
    section(out, "Compliance checks", status.getCompliance() == null
        || status.getCompliance().getChecks().isEmpty() ? null : () -> {
      Table t = new Table("ID", "CHECK", "RESULT", "MESSAGE");
      for (ComplianceCheckStatus c : status.getCompliance().getChecks()) {
        t.row(c.getId(), c.getName(), c.getResult(), c.getMessage());
      }
      return t;
    });
    section(out, "Incidents", status.getIncidents().isEmpty() ? null : () -> {
      Table t = new Table("REPORTED", "VERSION", "REMOVED", "RESOLVED", "REASON");
      for (IncidentStatus i : status.getIncidents()) {
        t.row(relative(i.getReportedAt()), shortFingerprint(i.getFingerprint()), i.getRemoved(),
            relative(i.getResolvedAt()), i.getReason());
      }
      return t;
    });
  }

  /** A titled block; {@code body} may print lines itself and return a table, or null. */
  private static void section(PrintWriter out, String title, SectionBody body) {
    out.println();
    if (body == null) {
      out.println(title + ": <none>");
      return;
    }
    out.println(title + ":");
    Table table = body.draw();
    if (table != null) {
      table.print(out, "  ");
    }
  }

  @FunctionalInterface
  private interface SectionBody {
    Table draw();
  }

  /** The printer column's value when the operator wrote it, else derived the same way. */
  static String currentVersion(ReloadlyCredentialStatus status) {
    if (status.getCurrentVersion() != null) {
      return status.getCurrentVersion();
    }
    return status.getVersions().stream().filter(v -> "current".equals(v.getState())).findFirst()
        .map(v -> shortFingerprint(v.getFingerprint())).orElse(null);
  }

  static String shortFingerprint(String fingerprint) {
    return CredentialFingerprinter.shortForm(fingerprint);
  }

  private static boolean stale(ReloadlyCredential credential) {
    Long observed = status(credential).getObservedGeneration();
    Long generation = credential.getMetadata().getGeneration();
    return generation != null && (observed == null || observed < generation);
  }

  private static ReloadlyCredentialStatus status(ReloadlyCredential credential) {
    return credential.getStatus() == null ? new ReloadlyCredentialStatus()
        : credential.getStatus();
  }

  private static Optional<Condition> condition(ReloadlyCredentialStatus status, String type) {
    return Conditions.find(status.getConditions(), type);
  }

  private String absoluteAndRelative(String time) {
    String relative = relative(time);
    return time == null ? null : relative == null ? time : time + " (" + relative + ")";
  }

  /** "in 3d" for a future time, "2h ago" for a past one; the text itself if it is no time. */
  String relative(String time) {
    Instant at = parse(time);
    if (at == null) {
      return time;
    }
    Duration delta = Duration.between(now, at);
    return delta.isNegative() ? human(delta.negated()) + " ago" : "in " + human(delta);
  }

  private String age(String creationTimestamp) {
    Instant at = parse(creationTimestamp);
    return at == null ? null : human(Duration.between(at, now).abs());
  }

  private static Instant parse(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Like kubectl's ages: seconds to 2 minutes, minutes to 2 hours, hours to 2 days, then days. */
  static String human(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 2 * 3600) {
      return d.toMinutes() + "m";
    }
    if (seconds < 2 * 86400) {
      return d.toHours() + "h";
    }
    if (d.toDays() < 2 * 365) {
      return d.toDays() + "d";
    }
    return d.toDays() / 365 + "y";
  }
}
