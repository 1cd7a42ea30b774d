package dev.reloadly.operator.config;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * The operator's settings after validation. Built by the command line (flags with environment
 * twins) or by tests and the demo.
 *
 * @param namespace where the operator keeps its own keys
 * @param watchNamespaces namespaces to watch; empty means all
 * @param reloadlyAuthUrl Reloadly's token endpoint (overridable for simulators)
 * @param metricsPort port of the Prometheus endpoint; 0 disables it
 * @param maxConcurrentTokenRequests operator-wide cap on in-flight token requests
 * @param sealingKeyRenewal how often the sealing key pair is renewed
 * @param kekRotation how often the key-encryption key is rotated
 * @param leaderElection whether and how replicas elect the one that works
 * @param kek where the key-encryption keys are protected: local, or a KMS v2 plugin
 * @param incidentHistory how many compromise incidents each credential keeps
 * @param rollouts the operator-wide rollout cap, and whether Argo Rollouts are watched
 * @param egress which Nodes are watched as NAT nodes
 * @param compliance the free-mail domains of guideline C1
 */
public record OperatorConfig(
    String namespace,
    Set<String> watchNamespaces,
    URI reloadlyAuthUrl,
    int metricsPort,
    int maxConcurrentTokenRequests,
    Duration sealingKeyRenewal,
    Duration kekRotation,
    LeaderElection leaderElection,
    KekSettings kek,
    int incidentHistory,
    RolloutSettings rollouts,
    EgressDefaults egress,
    ComplianceDefaults compliance) {

  public static final String DEFAULT_NAMESPACE = "reloadly-system";
  public static final URI DEFAULT_AUTH_URL = URI.create("https://auth.reloadly.com/oauth/token");
  public static final int DEFAULT_METRICS_PORT = 8080;
  public static final int DEFAULT_INCIDENT_HISTORY =
      dev.reloadly.operator.lifecycle.VersionLedger.DEFAULT_INCIDENT_HISTORY;
  /** Incidents live in status and the store Secret, whose size is bounded (1 MiB). */
  public static final int MAX_INCIDENT_HISTORY = 100;

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
    java.util.Objects.requireNonNull(kek, "kek");
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("operator namespace must not be empty");
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new IllegalArgumentException("metrics port must be between 0 and 65535, got " + metricsPort);
    }
    if (maxConcurrentTokenRequests < 1) {
      throw new IllegalArgumentException("max concurrent token requests must be at least 1");
    }
    if (incidentHistory < 1 || incidentHistory > MAX_INCIDENT_HISTORY) {
      throw new IllegalArgumentException("incident history must be between 1 and "
          + MAX_INCIDENT_HISTORY + ", got " + incidentHistory);
    }
    AuthUrls.requireSecureOrLoopback(reloadlyAuthUrl);
    if (compliance == null) {
      throw new IllegalArgumentException("compliance defaults must not be null");
    }
    if (egress == null) {
      throw new IllegalArgumentException("egress defaults must not be null");
    }
    if (rollouts == null) {
      throw new IllegalArgumentException("rollout settings must not be null");
    }
    if (leaderElection == null) {
      throw new IllegalArgumentException("leader election settings must not be null");
    }
  }

  /** A single replica (no leader election) with local KEKs and the default incident history. */
  public OperatorConfig(String namespace, Set<String> watchNamespaces, URI reloadlyAuthUrl,
      int metricsPort, int maxConcurrentTokenRequests, Duration sealingKeyRenewal,
      Duration kekRotation) {
    this(namespace, watchNamespaces, reloadlyAuthUrl, metricsPort, maxConcurrentTokenRequests,
        sealingKeyRenewal, kekRotation, LeaderElection.off(), KekSettings.local(),
        DEFAULT_INCIDENT_HISTORY, RolloutSettings.defaults(),
        EgressDefaults.defaults(), ComplianceDefaults.defaults());
  }

  /**
   * Defaults for everything but the namespace, as `run` would use them, except that leader
   * election is off (the demo and tests run one replica; `run` turns it on).
   */
  public static OperatorConfig defaults(String namespace) {
    return new OperatorConfig(namespace, Set.of(), DEFAULT_AUTH_URL, DEFAULT_METRICS_PORT, 4,
        Duration.ofDays(30), Duration.ofDays(30));
  }

  public OperatorConfig withAuthUrl(URI url) {
    return new OperatorConfig(namespace, watchNamespaces, url, metricsPort,
        maxConcurrentTokenRequests, sealingKeyRenewal, kekRotation, leaderElection, kek,
        incidentHistory, rollouts, egress, compliance);
  }

  public OperatorConfig withMetricsPort(int port) {
    return new OperatorConfig(namespace, watchNamespaces, reloadlyAuthUrl, port,
        maxConcurrentTokenRequests, sealingKeyRenewal, kekRotation, leaderElection, kek,
        incidentHistory, rollouts, egress, compliance);
  }

  public OperatorConfig withLeaderElection(LeaderElection election) {
    return new OperatorConfig(namespace, watchNamespaces, reloadlyAuthUrl, metricsPort,
        maxConcurrentTokenRequests, sealingKeyRenewal, kekRotation, election, kek,
        incidentHistory, rollouts, egress, compliance);
  }

  public OperatorConfig withKek(KekSettings settings) {
    return new OperatorConfig(namespace, watchNamespaces, reloadlyAuthUrl, metricsPort,
        maxConcurrentTokenRequests, sealingKeyRenewal, kekRotation, leaderElection, settings,
        incidentHistory, rollouts, egress, compliance);
  }

  public OperatorConfig withIncidentHistory(int keep) {
    return new OperatorConfig(namespace, watchNamespaces, reloadlyAuthUrl, metricsPort,
        maxConcurrentTokenRequests, sealingKeyRenewal, kekRotation, leaderElection, kek, keep,
        rollouts, egress, compliance);
  }

  public OperatorConfig withRollouts(RolloutSettings settings) {
    return new OperatorConfig(namespace, watchNamespaces, reloadlyAuthUrl, metricsPort,
        maxConcurrentTokenRequests, sealingKeyRenewal, kekRotation, leaderElection, kek,
        incidentHistory, settings, egress, compliance);
  }

  public OperatorConfig withEgress(EgressDefaults defaults) {
    return new OperatorConfig(namespace, watchNamespaces, reloadlyAuthUrl, metricsPort,
        maxConcurrentTokenRequests, sealingKeyRenewal, kekRotation, leaderElection, kek,
        incidentHistory, rollouts, defaults, compliance);
  }
}
