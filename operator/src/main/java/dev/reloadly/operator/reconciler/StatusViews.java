package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.api.v1alpha1.Conditions.ROTATION_DUE;
import static dev.reloadly.operator.api.v1alpha1.Conditions.ROTATION_OVERDUE;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.IncidentStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.lifecycle.CredentialVersion;
import dev.reloadly.operator.lifecycle.RotationSchedule;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.lifecycle.VersionState;
import dev.reloadly.operator.metrics.CredentialMetrics;
import java.time.Instant;
import java.util.Optional;

/**
 * Renders the version ledger and the rotation schedule into status, their due moments, and the
 * short fields {@code kubectl get} prints.
 */
final class StatusViews {
  private StatusViews() {}

  static void versions(ReloadlyCredentialStatus status, VersionLedger ledger,
      CredentialPolicy policy, StatusDraft draft, Instant now, Requeue requeue,
      Optional<Instant> rolledAt) {
    status.setVersions(ledger.versions().stream().map(v -> new CredentialVersionStatus(
        v.fingerprint(), v.state().wireName(), text(v.createdAt()), text(v.validatedAt()),
        text(v.supersededAt()))).toList());
    status.setIncidents(ledger.incidents().stream().map(i -> {
      IncidentStatus s = new IncidentStatus(text(i.reportedAt()), i.reason(), i.fingerprint(),
          i.removed());
      s.setResolvedAt(text(i.resolvedAt()));
      return s;
    }).toList());
    ledger.nextRetirement(policy.gracePeriod(), rolledAt).ifPresent(requeue::at);

    Optional<CredentialVersion> current = ledger.current();
    if (current.isEmpty()) {
      status.setNextRotationAt(null);
      return;
    }
    RotationSchedule schedule = policy.rotation();
    CredentialVersion version = current.get();
    status.setNextRotationAt(text(schedule.dueAt(version)));
    if (schedule.isDue(version, now)) {
      draft.condition(ROTATION_DUE, true, Conditions.DUE, "version " + version.fingerprint()
          + " is due for rotation (created " + version.createdAt() + "): create a new client"
          + " secret in the Reloadly portal and update the source before "
          + schedule.overdueAt(version));
    } else {
      draft.condition(ROTATION_DUE, false, Conditions.NOT_DUE,
          "rotation is due at " + schedule.dueAt(version));
    }
    if (schedule.isOverdue(version, now)) {
      draft.condition(ROTATION_OVERDUE, true, Conditions.OVERDUE, "version "
          + version.fingerprint() + " is older than maxAge (guideline C5: 90 days or less)");
    } else {
      draft.condition(ROTATION_OVERDUE, false, Conditions.NOT_DUE,
          "maxAge is reached at " + schedule.overdueAt(version));
    }
    if (!schedule.isOverdue(version, now)) {
      requeue.at(schedule.nextChange(version, now));
    }
  }

  /**
   * The short fields {@code kubectl get} prints, derived from the lists they summarise (JSONPath
   * can neither count nor shorten). Called on every status the reconciler writes, whichever path
   * built it, so they never disagree with {@code versions} and {@code consumers}, and a steady
   * state derives the same values and writes nothing.
   */
  static void summaries(ReloadlyCredentialStatus status) {
    status.setCurrentVersion(status.getVersions().stream()
        .filter(v -> VersionState.CURRENT.wireName().equals(v.getState()))
        .map(v -> CredentialFingerprinter.shortForm(v.getFingerprint()))
        .filter(java.util.Objects::nonNull).findFirst().orElse(null));
    status.setConsumerCount(status.getConsumers().size());
  }

  /** What the per-credential time gauges report, read back from a status. */
  static CredentialMetrics.Times times(ReloadlyCredentialStatus status) {
    Instant created = status.getVersions().stream()
        .filter(v -> VersionState.CURRENT.wireName().equals(v.getState()))
        .map(v -> instant(v.getCreatedAt())).filter(java.util.Objects::nonNull)
        .findFirst().orElse(null);
    return new CredentialMetrics.Times(instant(status.getNextRotationAt()), created,
        instant(status.getTokenExpiresAt()));
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
