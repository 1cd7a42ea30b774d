package dev.reloadly.operator.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events about a credential. Callers emit on transitions only, so a steady
 * state produces no Events. Messages must never hold a secret.
 */
public class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String COMPONENT = "reloadly-credential-operator";

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  private void record(HasMetadata about, String type, String reason, String message) {
    String now = clock.instant().toString();
    try {
      client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(new EventBuilder()
              .withNewMetadata()
              .withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString()
                  .replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT))
              .withNamespace(about.getMetadata().getNamespace())
              .endMetadata()
              .withNewInvolvedObject()
              .withApiVersion(about.getApiVersion())
              .withKind(about.getKind())
              .withName(about.getMetadata().getName())
              .withNamespace(about.getMetadata().getNamespace())
              .withUid(about.getMetadata().getUid())
              .withResourceVersion(about.getMetadata().getResourceVersion())
              .endInvolvedObject()
              .withType(type)
              .withReason(reason)
              .withMessage(message)
              .withFirstTimestamp(now)
              .withLastTimestamp(now)
              .withCount(1)
              .withNewSource().withComponent(COMPONENT).endSource()
              .withReportingComponent(COMPONENT)
              .build())
          .create();
    } catch (KubernetesClientException e) {
      // An Event is a courtesy: failing to record one must not fail the reconcile.
      LOG.warn("could not record event {} on {}/{}: HTTP {}", reason,
          about.getMetadata().getNamespace(), about.getMetadata().getName(), e.getCode());
    }
  }
}
