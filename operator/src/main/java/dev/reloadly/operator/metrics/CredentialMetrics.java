package dev.reloadly.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-credential gauges an alert can fire on: ready, rotation due and overdue, sealed with an old
 * sealing key, a stalled rollout of its consumers. Values are 0 or 1; tags are namespace and credential name, never a secret.
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

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> scores = new ConcurrentHashMap<>();
  /** Per metric and credential: its labelled series (an IP, a check's result) by extra tags. */
  private final Map<String, Map<String, Gauge>> labelled = new ConcurrentHashMap<>();
  private final Counter reconciles;

  public CredentialMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.reconciles = Counter.builder(RECONCILES)
        .description("Reconciles that ran to the end, status write included")
        .register(registry);
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
          .tags(Tags.of("namespace", namespace, "credential", name))
          .register(registry);
      return holder;
    }).set(value ? 1 : 0);
  }
}
