package dev.reloadly.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Hears JOSDK's events and drops the gauges of a credential once it is deleted (and its place
 * in the operator-wide rollout cap). The operator puts
 * no finalizer on credentials (owner references clean up its Secrets), so a deletion reaches it
 * only as this event, not as a reconcile.
 */
public final class DeletedCredentials implements Metrics {
  private final CredentialMetrics metrics;
  private final BiConsumer<String, String> alsoForget;

  public DeletedCredentials(CredentialMetrics metrics) {
    this(metrics, (namespace, name) -> { });
  }

  /** @param alsoForget what else holds per-credential state (namespace, name) in memory */
  public DeletedCredentials(CredentialMetrics metrics, BiConsumer<String, String> alsoForget) {
    this.metrics = metrics;
    this.alsoForget = alsoForget;
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    if (event instanceof ResourceEvent resource && resource.getAction() == ResourceAction.DELETED) {
      String namespace = event.getRelatedCustomResourceID().getNamespace().orElse("");
      String name = event.getRelatedCustomResourceID().getName();
      metrics.forget(namespace, name);
      alsoForget.accept(namespace, name);
    }
  }
}
