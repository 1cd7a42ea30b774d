package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.config.LeaderElection;
import dev.reloadly.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;

/** Builds the JOSDK operator around the credential reconciler, the same way for run, demo and tests. */
public final class OperatorFactory {
  private OperatorFactory() {}

  /**
   * @param leaderCallbacks told when this replica starts and stops leading; used only when
   *     leader election is on
   */
  public static Operator create(KubernetesClient client, OperatorConfig config,
      ReloadlyCredentialReconciler reconciler, Metrics metrics, LeaderCallbacks leaderCallbacks) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(metrics)
          // Merge patches work on every API server, the test server included; SSA does not.
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(java.time.Duration.ofMinutes(2));
      LeaderElection election = config.leaderElection();
      if (election.enabled()) {
        // Every replica fills its caches; only the Lease holder processes events.
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
            .aLeaderElectionConfiguration(election.leaseName())
            .withLeaseNamespace(config.namespace())
            .withIdentity(election.identity())
            .withLeaseDuration(election.leaseDuration())
            .withRenewDeadline(election.renewDeadline())
            .withRetryPeriod(election.retryPeriod())
            .withLeaderCallbacks(leaderCallbacks)
            // The callbacks exit on a lost Lease; JOSDK's exit would also fire on a clean stop.
            .withExitOnStopLeading(false)
            .build());
      }
    });
    operator.register(reconciler, c -> {
      // Generation alone would hide the annotation signals; the filter keeps status-only updates
      // out instead.
      c.withGenerationAware(false).withOnUpdateFilter(new SpecOrSignalChanged());
      if (config.watchNamespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.watchNamespaces());
      }
    });
    return operator;
  }
}
