package dev.reloadly.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import java.util.Map;

/**
 * Hears JOSDK's events and drops the gauges of a credential once it is deleted. The operator puts
 * no finalizer on credentials (owner references clean up its Secrets), so a deletion reaches it
 * only as this event, not as a reconcile.
 */
public final class DeletedCredentials implements Metrics {
  private final CredentialMetrics metrics;

  public DeletedCredentials(CredentialMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    if (event instanceof ResourceEvent resource && resource.getAction() == ResourceAction.DELETED) {
      metrics.forget(event.getRelatedCustomResourceID().getNamespace().orElse(""),
          event.getRelatedCustomResourceID().getName());
    }
  }
}
