package dev.reloadly.operator.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The versions of one credential and the incidents reported on it: an immutable state machine.
 * Persisted (without any secret) in the credential's store Secret, so a restarted operator resumes
 * exactly where it stopped.
 */
public record VersionLedger(List<CredentialVersion> versions, List<Incident> incidents) {
  /** Retired versions kept for the record; older ones are dropped. */
  static final int HISTORY = 5;

  public VersionLedger {
    versions = List.copyOf(trimmed(versions));
    incidents = List.copyOf(incidents);
  }

  public static VersionLedger empty() {
    return new VersionLedger(List.of(), List.of());
  }

  public Optional<CredentialVersion> current() {
    return inState(VersionState.CURRENT).findFirst();
  }

  public Optional<CredentialVersion> pending() {
    return inState(VersionState.PENDING).findFirst();
  }

  public Optional<CredentialVersion> find(String fingerprint) {
    return versions.stream().filter(v -> v.fingerprint().equals(fingerprint)).findFirst();
  }

  /** Versions whose encrypted value the store must keep. */
  public List<String> fingerprintsWithValues() {
    return versions.stream()
        .filter(v -> v.state() == VersionState.PENDING || v.state() == VersionState.CURRENT
            || v.state() == VersionState.PREVIOUS)
        .map(CredentialVersion::fingerprint)
        .toList();
  }

  /**
   * The source offers {@code fingerprint}. A new one becomes pending; an older pending one the
   * source no longer offers is dropped. Known versions are left as they are.
   */
  public VersionLedger offer(String fingerprint, Instant now) {
    if (find(fingerprint).isPresent()) {
      return this;
    }
    List<CredentialVersion> next = new ArrayList<>();
    next.add(new CredentialVersion(fingerprint, VersionState.PENDING, now, null, null));
    versions.stream()
        .map(v -> v.state() == VersionState.PENDING ? v.superseded(now, VersionState.RETIRED) : v)
        .forEach(next::add);
    return new VersionLedger(next, incidents);
  }

  /** A token request proved the pending {@code fingerprint} valid: it becomes current. */
  public VersionLedger promote(String fingerprint, Instant now) {
    CredentialVersion pending = find(fingerprint)
        .filter(v -> v.state() == VersionState.PENDING)
        .orElseThrow(() -> new IllegalStateException("only a pending version can be promoted"));
    List<CredentialVersion> next = new ArrayList<>();
    for (CredentialVersion v : versions) {
      if (v == pending) {
        next.add(v.validated(now).withState(VersionState.CURRENT));
      } else if (v.state() == VersionState.CURRENT) {
        next.add(v.superseded(now, VersionState.PREVIOUS));
      } else if (v.state() == VersionState.PREVIOUS) {
        // Only one previous version overlaps with the current one.
        next.add(v.withState(VersionState.RETIRED));
      } else {
        next.add(v);
      }
    }
    List<Incident> resolved = incidents.stream()
        .map(i -> i.resolvedAt() == null ? i.resolved(now) : i)
        .toList();
    return new VersionLedger(next, resolved);
  }

  /** Records a successful token request for the current version. */
  public VersionLedger validatedCurrent(Instant now) {
    return new VersionLedger(versions.stream()
        .map(v -> v.state() == VersionState.CURRENT ? v.validated(now) : v).toList(), incidents);
  }

  public boolean hasIncident(String reason) {
    return incidents.stream().anyMatch(i -> i.reason().equals(reason));
  }

  /**
   * A compromise is reported: the current version (and a previous one still in its grace period)
   * becomes compromised and is never served again.
   */
  public VersionLedger compromise(String reason, String removed, Instant now) {
    String fingerprint = current().map(CredentialVersion::fingerprint).orElse(null);
    List<CredentialVersion> next = versions.stream()
        .map(v -> v.state() == VersionState.CURRENT || v.state() == VersionState.PREVIOUS
            ? v.superseded(Optional.ofNullable(v.supersededAt()).orElse(now),
                VersionState.COMPROMISED)
            : v)
        .toList();
    List<Incident> nextIncidents = new ArrayList<>(incidents);
    // With nothing served, the report is recorded (and closed) so it never lands on the next
    // version to be promoted; every report is kept so a leftover annotation never fires again.
    nextIncidents.add(fingerprint == null
        ? new Incident(now, reason, null, "nothing: no version was being served", now)
        : new Incident(now, reason, fingerprint, removed, null));
    return new VersionLedger(next, nextIncidents);
  }

  /** Previous versions whose grace period has ended become retired. */
  public VersionLedger retireExpired(Instant now, Duration gracePeriod) {
    return new VersionLedger(versions.stream()
        .map(v -> v.state() == VersionState.PREVIOUS
            && !now.isBefore(v.supersededAt().plus(gracePeriod))
            ? v.withState(VersionState.RETIRED) : v)
        .toList(), incidents);
  }

  /** When the previous version's grace period ends, if there is one. */
  public Optional<Instant> nextRetirement(Duration gracePeriod) {
    return inState(VersionState.PREVIOUS)
        .map(v -> v.supersededAt().plus(gracePeriod))
        .min(Comparator.naturalOrder());
  }

  public boolean isCompromised(String fingerprint) {
    return find(fingerprint).map(v -> v.state() == VersionState.COMPROMISED).orElse(false);
  }

  private Stream<CredentialVersion> inState(VersionState state) {
    return versions.stream().filter(v -> v.state() == state);
  }

  /**
   * Keeps every live and every compromised version (so a compromised one is recognised whenever
   * the source offers it again) and the newest few retired ones.
   */
  private static List<CredentialVersion> trimmed(List<CredentialVersion> all) {
    List<CredentialVersion> kept = new ArrayList<>();
    int history = 0;
    for (CredentialVersion v : all) {
      if (v.state() != VersionState.RETIRED || history++ < HISTORY) {
        kept.add(v);
      }
    }
    return kept;
  }
}
