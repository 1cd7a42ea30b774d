package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;

/** Builds the JOSDK operator around the credential reconciler, the same way for run, demo and tests. */
public final class OperatorFactory {
  private OperatorFactory() {}

  public static Operator create(KubernetesClient client, OperatorConfig config,
      ReloadlyCredentialReconciler reconciler, Metrics metrics) {
    Operator operator = new Operator(o -> o
        .withKubernetesClient(client)
        .withMetrics(metrics)
        // Merge patches work on every API server, the test server included; SSA does not.
        .withUseSSAToPatchPrimaryResource(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true)
        .withCacheSyncTimeout(java.time.Duration.ofMinutes(2)));
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
