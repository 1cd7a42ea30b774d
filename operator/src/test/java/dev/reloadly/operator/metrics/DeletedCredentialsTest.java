package dev.reloadly.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletedCredentialsTest {

  @Test
  void aDeletedCredentialsGaugesDisappearAndOthersStay() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CredentialMetrics metrics = new CredentialMetrics(registry);
    DeletedCredentials observer = new DeletedCredentials(metrics);
    CredentialMetrics.Observation ready = new CredentialMetrics.Observation(true, false, false, false, false);
    metrics.observe("payments", "shop", ready);
    metrics.observe("payments", "other", ready);

    observer.receivedEvent(new ResourceEvent(ResourceAction.UPDATED,
        new ResourceID("shop", "payments"), null), Map.of());
    assertThat(registry.find(CredentialMetrics.READY).tag("credential", "shop").gauge()).isNotNull();

    observer.receivedEvent(new ResourceEvent(ResourceAction.DELETED,
        new ResourceID("shop", "payments"), null), Map.of());
    assertThat(registry.find(CredentialMetrics.READY).tag("credential", "shop").gauges()).isEmpty();
    assertThat(registry.find(CredentialMetrics.ROTATION_DUE).tag("credential", "shop").gauges())
        .isEmpty();
    assertThat(registry.find(CredentialMetrics.READY).tag("credential", "other").gauge())
        .isNotNull();

    // Observed again (re-created): registered again.
    metrics.observe("payments", "shop", ready);
    assertThat(registry.find(CredentialMetrics.READY).tag("credential", "shop").gauge()).isNotNull();
  }

  @Test
  void aDeletedCredentialIsAlsoForgottenByWhatElseHoldsItsState() {
    java.util.List<String> forgotten = new java.util.ArrayList<>();
    DeletedCredentials observer = new DeletedCredentials(
        new CredentialMetrics(new SimpleMeterRegistry()), (ns, name) -> forgotten.add(ns + "/" + name));
    observer.receivedEvent(new ResourceEvent(ResourceAction.UPDATED,
        new ResourceID("shop", "payments"), null), Map.of());
    observer.receivedEvent(new ResourceEvent(ResourceAction.DELETED,
        new ResourceID("shop", "payments"), null), Map.of());
    assertThat(forgotten).containsExactly("payments/shop");
  }
}
