package dev.reloadly.operator.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The versions of one credential and the incidents reported on it: an immutable state machine.
 * Persisted (without any secret) in the credential's store Secret, so a restarted operator resumes
 * exactly where it stopped.
 *
 * @param lastReport digest of the last compromise report handled (the annotation value), so a
 *     value left in place never fires twice, even once its incident is trimmed; null before the
 *     first report
 */
public record VersionLedger(List<CredentialVersion> versions, List<Incident> incidents,
    String lastReport) {
  /** Retired versions kept for the record; older ones are dropped. */
  static final int HISTORY = 5;
  /** Incidents kept unless the operator is told otherwise (`--incident-history`). */
  public static final int DEFAULT_INCIDENT_HISTORY = 5;

  // Explicit, so JSON always passes lastReport; there is no shorter constructor that could drop it.
  @JsonCreator
  public VersionLedger {
    versions = List.copyOf(trimmed(versions));
    incidents = List.copyOf(incidents);
    if (lastReport == null && !incidents.isEmpty()) {
      // A ledger written before lastReport existed: its newest incident is the last report.
      lastReport = digest(incidents.get(incidents.size() - 1).reason());
    }
  }

  public static VersionLedger empty() {
    return new VersionLedger(List.of(), List.of(), null);
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
    return new VersionLedger(next, incidents, lastReport);
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
    return new VersionLedger(next, resolved, lastReport);
  }

  /** Records a successful token request for the current version. */
  public VersionLedger validatedCurrent(Instant now) {
    return new VersionLedger(versions.stream()
        .map(v -> v.state() == VersionState.CURRENT ? v.validated(now) : v).toList(), incidents,
        lastReport);
  }

  public boolean hasIncident(String reason) {
    return incidents.stream().anyMatch(i -> i.reason().equals(reason));
  }

  /**
   * Whether this annotation value was already handled: it is the last report, or an incident
   * still kept has it as its reason.
   */
  public boolean handled(String reason) {
    return digest(reason).equals(lastReport) || hasIncident(reason);
  }

  /**
   * A compromise is reported. It applies to the current version (and a previous one still in its
   * grace period), which is withdrawn; with no current version, to every pending version, which
   * is then never promoted. Either way the versions become compromised and are never served.
   */
  public VersionLedger compromise(String reason, String removed, Instant now) {
    Optional<CredentialVersion> current = current();
    List<CredentialVersion> pending = inState(VersionState.PENDING).toList();
    Predicate<CredentialVersion> hit = current.isPresent()
        ? v -> v.state() == VersionState.CURRENT || v.state() == VersionState.PREVIOUS
        : v -> v.state() == VersionState.PENDING;
    List<CredentialVersion> next = versions.stream()
        .map(v -> hit.test(v) ? v.superseded(Optional.ofNullable(v.supersededAt()).orElse(now),
            VersionState.COMPROMISED) : v)
        .toList();
    List<Incident> nextIncidents = new ArrayList<>(incidents);
    if (current.isPresent()) {
      nextIncidents.add(new Incident(now, reason, current.get().fingerprint(), removed, null));
    } else if (!pending.isEmpty()) {
      // Open until a newer version is promoted, so the credential stays marked compromised.
      nextIncidents.add(new Incident(now, reason, pending.get(0).fingerprint(),
          "nothing was served; the pending version is never promoted", null));
    } else {
      nextIncidents.add(new Incident(now, reason, null, "nothing: no version was known", now));
    }
    return new VersionLedger(next, nextIncidents, digest(reason));
  }

  /**
   * Versions on the operator-wide list of compromised fingerprints become compromised: a pending
   * one is never promoted, a current one is withdrawn (an open incident with {@code reason}
   * records why). Unchanged when none is listed.
   */
  public VersionLedger refuse(Predicate<String> listed, String reason, Instant now) {
    List<CredentialVersion> hit = versions.stream()
        .filter(v -> v.state() == VersionState.PENDING || v.state() == VersionState.CURRENT
            || v.state() == VersionState.PREVIOUS)
        .filter(v -> listed.test(v.fingerprint()))
        .toList();
    if (hit.isEmpty()) {
      return this;
    }
    List<CredentialVersion> next = versions.stream()
        .map(v -> hit.contains(v) ? v.superseded(
            Optional.ofNullable(v.supersededAt()).orElse(now), VersionState.COMPROMISED) : v)
        .toList();
    List<Incident> nextIncidents = new ArrayList<>(incidents);
    current().filter(hit::contains).ifPresent(c -> nextIncidents.add(new Incident(now, reason,
        c.fingerprint(), "the version's token and credentials", null)));
    return new VersionLedger(next, nextIncidents, lastReport);
  }

  /** Keeps the newest {@code keep} incidents (and any still open); the rest are dropped. */
  public VersionLedger keepIncidents(int keep) {
    if (incidents.size() <= keep) {
      return this;
    }
    int firstKept = incidents.size() - keep;
    List<Incident> kept = new ArrayList<>();
    for (int i = 0; i < incidents.size(); i++) {
      if (i >= firstKept || incidents.get(i).resolvedAt() == null) {
        kept.add(incidents.get(i));
      }
    }
    return new VersionLedger(versions, kept, lastReport);
  }

  /** Previous versions whose grace period has ended become retired. */
  public VersionLedger retireExpired(Instant now, Duration gracePeriod) {
    return retireExpired(now, gracePeriod, Optional.of(Instant.EPOCH));
  }

  /**
   * Previous versions whose grace period has ended become retired. The grace period counts from
   * the later of the version's supersession and {@code rolledAt}, the moment every consumer was
   * healthy on the current version; while {@code rolledAt} is empty nothing is retired.
   */
  public VersionLedger retireExpired(Instant now, Duration gracePeriod,
      Optional<Instant> rolledAt) {
    if (rolledAt.isEmpty()) {
      return this;
    }
    return new VersionLedger(versions.stream()
        .map(v -> v.state() == VersionState.PREVIOUS
            && !now.isBefore(later(v.supersededAt(), rolledAt.get()).plus(gracePeriod))
            ? v.withState(VersionState.RETIRED) : v)
        .toList(), incidents, lastReport);
  }

  /** When the previous version's grace period ends, if there is one. */
  public Optional<Instant> nextRetirement(Duration gracePeriod) {
    return nextRetirement(gracePeriod, Optional.of(Instant.EPOCH));
  }

  /** When the previous version's grace period ends; empty while consumers are rolling. */
  public Optional<Instant> nextRetirement(Duration gracePeriod, Optional<Instant> rolledAt) {
    return rolledAt.flatMap(rolled -> inState(VersionState.PREVIOUS)
        .map(v -> later(v.supersededAt(), rolled).plus(gracePeriod))
        .min(Comparator.naturalOrder()));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  public boolean isCompromised(String fingerprint) {
    return find(fingerprint).map(v -> v.state() == VersionState.COMPROMISED).orElse(false);
  }

  /** A short SHA-256 digest of a report's text; the text itself is kept in its incident. */
  static String digest(String reason) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(reason.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
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
