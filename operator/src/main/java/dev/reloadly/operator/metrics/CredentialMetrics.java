package dev.reloadly.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's own meters. Per credential (tags namespace and credential, never a secret):
 * flags an alert can fire on (ready, rotation due and overdue, sealed with an old sealing key, a
 * stalled rollout; 0 or 1), the instants that matter (next rotation, token expiry, the served
 * version's age), compliance and egress drift. Operator-wide: reconciles and their errors, token
 * requests to Reloadly and workload rollouts by result. Counters with a result tag are created
 * with every result at start, so a rate() sees the first one. Names follow Prometheus
 * conventions once the registry renders them (dots become underscores, counters get
 * {@code _total}); {@code docs/operations.md} lists them.
 */
public final class CredentialMetrics {
  public static final String READY = "reloadly.credential.ready";
  public static final String ROTATION_DUE = "reloadly.credential.rotation.due";
  public static final String ROTATION_OVERDUE = "reloadly.credential.rotation.overdue";
  public static final String OLD_SEALING_KEY = "reloadly.credential.sealing.key.old";
  /** 1 while a consumer workload failed to roll out onto the credential's served version. */
  public static final String ROLLOUT_STALLED = "reloadly.credential.rollout.stalled";
  /** 1 for each check's current result (labels check and result), per credential. */
  public static final String COMPLIANCE_RESULT = "reloadly.compliance.check.result";
  /** The share of checks that pass, of those that ran (0 to 1). */
  public static final String COMPLIANCE_SCORE = "reloadly.compliance.score";
  /** Per stable IP of a NAT node outside the allowlist registered with Reloadly. */
  public static final String NOT_ALLOWLISTED = "reloadly.egress.ip.not.allowlisted";
  /** Completed reconciles, as {@code reloadly_reconciles_total}: proof that an idle pass ran. */
  public static final String RECONCILES = "reloadly.reconciles";
  /** Reconciles that ended in an exception (JOSDK retries them). */
  public static final String RECONCILE_ERRORS = "reloadly.reconcile.errors";
  /** Unix time of the next scheduled rotation. */
  public static final String NEXT_ROTATION = "reloadly.credential.next.rotation.timestamp.seconds";
  /** Seconds since the served version was created, computed at scrape time. */
  public static final String VERSION_AGE = "reloadly.credential.version.age.seconds";
  /** Unix time the served bearer token expires (token mode only). */
  public static final String TOKEN_EXPIRATION = "reloadly.token.expiration.timestamp.seconds";
  /** Requests to Reloadly's token endpoint, by result. */
  public static final String AUTH_REQUESTS = "reloadly.auth.requests";
  /** Workload rollouts that finished, by result: completed (healthy) or stalled. */
  public static final String ROLLOUTS = "reloadly.rollouts";

  /** The 0-or-1 gauges and what a 1 means. */
  private static final Map<String, String> FLAGS = Map.of(
      READY, "1 while the credential is Ready: a tested version is served",
      ROTATION_DUE, "1 while a rotation is due and under way",
      ROTATION_OVERDUE, "1 once the served version is older than the rotation's maximum age",
      OLD_SEALING_KEY, "1 while the source is sealed to a sealing key that is not the newest",
      ROLLOUT_STALLED, "1 while a consumer workload failed to roll out onto the served version");

  /** The results of {@link #AUTH_REQUESTS}. */
  public enum AuthResult {
    /** A token was issued. */
    SUCCESS,
    /** Reloadly refused the credential or the audience (400, 401, 403). */
    REJECTED,
    /** Reloadly asked to slow down (429). */
    THROTTLED,
    /** No usable answer: network, timeout, 5xx, a malformed body. */
    ERROR;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The instants of a credential that its gauges report; null where there is none. */
  public record Times(Instant nextRotation, Instant servedVersionCreated, Instant tokenExpires) {}

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> scores = new ConcurrentHashMap<>();
  /** Per metric and credential: its labelled series (an IP, a check's result) by extra tags. */
  private final Map<String, Map<String, Gauge>> labelled = new ConcurrentHashMap<>();
  /** Per metric and credential: the epoch second it reports, or of which it reports the age. */
  private final Map<String, AtomicLong> instants = new ConcurrentHashMap<>();
  private final Counter reconciles;
  private final Counter reconcileErrors;
  private final Map<AuthResult, Counter> authRequests = new java.util.EnumMap<>(AuthResult.class);
  private final Counter rolloutsCompleted;
  private final Counter rolloutsStalled;
  private final Clock clock;

  public CredentialMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  /** @param clock what a version's age is measured against, at scrape time */
  public CredentialMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.reconciles = Counter.builder(RECONCILES)
        .description("Reconciles that ran to the end, status write included")
        .register(registry);
    this.reconcileErrors = Counter.builder(RECONCILE_ERRORS)
        .description("Reconciles that failed with an exception; JOSDK retries them")
        .register(registry);
    for (AuthResult result : AuthResult.values()) {
      authRequests.put(result, Counter.builder(AUTH_REQUESTS)
          .description("Requests to Reloadly's token endpoint, by result")
          .tag("result", result.tag())
          .register(registry));
    }
    this.rolloutsCompleted = rollouts("completed");
    this.rolloutsStalled = rollouts("stalled");
  }

  private Counter rollouts(String result) {
    return Counter.builder(ROLLOUTS)
        .description("Workload rollouts onto a new credential version that finished, by result")
        .tag("result", result)
        .register(registry);
  }

  /** Counts one answer (or no answer) of Reloadly's token endpoint. */
  public void authRequest(AuthResult result) {
    authRequests.get(result).increment();
  }

  /** Counts a reconcile that ended in an exception. */
  public void reconcileFailed() {
    reconcileErrors.increment();
  }

  /** Counts workloads whose rollout became healthy, and those that newly stalled. */
  public void rollouts(int completed, int stalled) {
    rolloutsCompleted.increment(completed);
    rolloutsStalled.increment(stalled);
  }

  /**
   * Sets a credential's instants: the next rotation and token expiry as unix times, and the
   * served version's age (seconds, measured when scraped). A null removes that series.
   */
  public void times(String namespace, String name, Times times) {
    instant(NEXT_ROTATION, "Unix time of the credential's next scheduled rotation", namespace,
        name, times.nextRotation(), false);
    instant(VERSION_AGE, "Seconds since the served credential version was created", namespace,
        name, times.servedVersionCreated(), true);
    instant(TOKEN_EXPIRATION, "Unix time the served bearer token expires", namespace, name,
        times.tokenExpires(), false);
  }

  private void instant(String metric, String description, String namespace, String name,
      Instant at, boolean age) {
    String key = metric + "|" + namespace + "|" + name;
    if (at == null) {
      if (instants.remove(key) != null) {
        registry.find(metric).tags("namespace", namespace, "credential", name).meters()
            .forEach(registry::remove);
      }
      return;
    }
    instants.computeIfAbsent(key, k -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder(metric, holder, age
              ? h -> Math.max(0, clock.millis() / 1000.0 - h.get())
              : h -> (double) h.get())
          .description(description)
          .tags(Tags.of("namespace", namespace, "credential", name))
          .register(registry);
      return holder;
    }).set(at.getEpochSecond());
  }

  /** Counts a reconcile that finished, after anything it wrote. */
  public void reconciled() {
    reconciles.increment();
  }

  /** What one reconcile observed about a credential. */
  public record Observation(boolean ready, boolean rotationDue, boolean rotationOverdue,
      boolean oldSealingKey, boolean rolloutStalled) {}

  public void observe(String namespace, String name, Observation o) {
    set(READY, namespace, name, o.ready());
    set(ROTATION_DUE, namespace, name, o.rotationDue());
    set(ROTATION_OVERDUE, namespace, name, o.rotationOverdue());
    set(OLD_SEALING_KEY, namespace, name, o.oldSealingKey());
    set(ROLLOUT_STALLED, namespace, name, o.rolloutStalled());
  }

  /**
   * One gauge {@code reloadly_egress_ip_not_allowlisted{namespace,credential,ip}} per NAT node
   * stable IP outside the credential's allowlist; IPs no longer outside lose theirs.
   */
  public void notAllowlisted(String namespace, String name, Set<String> ips) {
    Map<String, Tags> wanted = new HashMap<>();
    ips.forEach(ip -> wanted.put(ip, Tags.of("ip", ip)));
    keepSeries(NOT_ALLOWLISTED, "1 for a NAT node's stable IP that the credential's allowlist"
        + " lacks", namespace, name, wanted);
  }

  /**
   * The compliance gauges of a credential: one {@code reloadly_compliance_check_result} per check
   * with its current result (a changed result replaces the series), and the score.
   */
  public void compliance(String namespace, String name, Map<String, String> results,
      double score) {
    Map<String, Tags> wanted = new HashMap<>();
    results.forEach((check, result) -> wanted.put(check + "|" + result,
        Tags.of("check", check, "result", result)));
    keepSeries(COMPLIANCE_RESULT, "1 for the current result of a compliance check", namespace,
        name, wanted);
    scores.computeIfAbsent(namespace + "|" + name, key -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder(COMPLIANCE_SCORE, holder, h -> Double.longBitsToDouble(h.get()))
          .description("Share of the compliance checks that pass, of those that ran")
          .tags(Tags.of("namespace", namespace, "credential", name))
          .register(registry);
      return holder;
    }).set(Double.doubleToLongBits(score));
  }

  /**
   * Makes a credential's labelled series of {@code metric} (each 1) exactly {@code wanted}, by
   * their extra tags. Touches only this credential's series: no scan of the others.
   */
  private void keepSeries(String metric, String description, String namespace, String name,
      Map<String, Tags> wanted) {
    Map<String, Gauge> have = labelled.computeIfAbsent(metric + "|" + namespace + "|" + name,
        key -> new ConcurrentHashMap<>());
    have.entrySet().removeIf(e -> {
      if (wanted.containsKey(e.getKey())) {
        return false;
      }
      registry.remove(e.getValue());
      return true;
    });
    wanted.forEach((id, tags) -> have.computeIfAbsent(id, key -> Gauge.builder(metric, () -> 1)
        .description(description)
        .tags(Tags.of("namespace", namespace, "credential", name).and(tags))
        .register(registry)));
  }

  /** Removes every gauge of a deleted credential, so it stops being reported (and alerted on). */
  public void forget(String namespace, String name) {
    for (String metric : List.of(NOT_ALLOWLISTED, COMPLIANCE_RESULT)) {
      keepSeries(metric, "", namespace, name, Map.of());
      labelled.remove(metric + "|" + namespace + "|" + name);
    }
    if (scores.remove(namespace + "|" + name) != null) {
      registry.find(COMPLIANCE_SCORE).tags("namespace", namespace, "credential", name).meters()
          .forEach(registry::remove);
    }
    times(namespace, name, new Times(null, null, null));
    for (String metric : List.of(READY, ROTATION_DUE, ROTATION_OVERDUE, OLD_SEALING_KEY,
        ROLLOUT_STALLED)) {
      AtomicInteger holder = gauges.remove(metric + "|" + namespace + "|" + name);
      if (holder != null) {
        registry.find(metric).tags("namespace", namespace, "credential", name).meters()
            .forEach(registry::remove);
      }
    }
  }

  private void set(String metric, String namespace, String name, boolean value) {
    gauges.computeIfAbsent(metric + "|" + namespace + "|" + name, key -> {
      AtomicInteger holder = new AtomicInteger();
      Gauge.builder(metric, holder, AtomicInteger::get)
          .description(FLAGS.get(metric))
          .tags(Tags.of("namespace", namespace, "credential", name))
          .register(registry);
      return holder;
    }).set(value ? 1 : 0);
  }
}
