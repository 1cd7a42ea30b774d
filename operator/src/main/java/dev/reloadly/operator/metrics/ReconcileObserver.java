package dev.reloadly.operator.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * Hears JOSDK's reconcile lifecycle: counts finished reconciles (so an idle check can prove a
 * reconcile ran before it asserts that nothing was written), and drops the gauges of a credential
 * once it is deleted. The operator puts no finalizer on credentials (owner references clean up
 * its Secrets), so a deletion reaches it only as this event, not as a reconcile.
 */
public final class ReconcileObserver implements Metrics {
  public static final String RECONCILES = "reloadly.reconciles";

  private final CredentialMetrics metrics;
  private final Counter reconciles;

  public ReconcileObserver(CredentialMetrics metrics, MeterRegistry registry) {
    this.metrics = metrics;
    this.reconciles = Counter.builder(RECONCILES)
        .description("Reconciles of ReloadlyCredentials that finished without an exception")
        .register(registry);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    if (event instanceof ResourceEvent resource && resource.getAction() == ResourceAction.DELETED) {
      metrics.forget(event.getRelatedCustomResourceID().getNamespace().orElse(""),
          event.getRelatedCustomResourceID().getName());
    }
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    reconciles.increment();
  }
}
