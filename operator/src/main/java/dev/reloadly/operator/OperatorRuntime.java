package dev.reloadly.operator;

import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.events.EventRecorder;
import dev.reloadly.operator.metrics.MetricsServer;
import dev.reloadly.operator.reconciler.OperatorFactory;
import dev.reloadly.operator.reconciler.ReloadlyCredentialReconciler;
import dev.reloadly.operator.source.CredentialSourceReader;
import dev.reloadly.operator.source.SourceResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: wires every concern and starts the operator, for run and demo alike. */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);

  private final Operator operator;
  private final MetricsServer metrics;

  private OperatorRuntime(Operator operator, MetricsServer metrics) {
    this.operator = operator;
    this.metrics = metrics;
  }

  public static OperatorRuntime start(KubernetesClient client, OperatorConfig config, Clock clock) {
    MetricsServer metrics = null;
    if (config.metricsPort() > 0) {
      try {
        metrics = MetricsServer.start(MetricsServer.newRegistry(), config.metricsPort());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serve metrics on port " + config.metricsPort(), e);
      }
    }
    ReloadlyCredentialReconciler reconciler = new ReloadlyCredentialReconciler(
        new CredentialSourceReader((ns, name, sealed) -> new SourceResult.Failed(
            "SealingUnavailable", "sealed sources are not available yet", false)),
        new EventRecorder(client, clock), clock);
    Operator operator = OperatorFactory.create(client, config, reconciler);
    operator.start();
    LOG.info("operator started: watching {}, keys in namespace {}",
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(),
        config.namespace());
    return new OperatorRuntime(operator, metrics);
  }

  @Override
  public void close() {
    operator.stop();
    if (metrics != null) {
      metrics.close();
    }
  }
}
