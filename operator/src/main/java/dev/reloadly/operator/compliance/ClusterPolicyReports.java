package dev.reloadly.operator.compliance;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each namespace's PolicyReport when the wgpolicyk8s.io CRD is served (asked again at most
 * once a minute), and only when its content changed: what was last written is remembered, and
 * read back once after a start. A report of that name the operator did not write is left alone.
 */
public final class ClusterPolicyReports {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterPolicyReports.class);
  static final Duration RECHECK = Duration.ofMinutes(1);
  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Object> written = new ConcurrentHashMap<>();
  private volatile Instant checkedAt = Instant.MIN;
  private volatile boolean installed;

  public ClusterPolicyReports(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  boolean installed() {
    Instant now = clock.instant();
    if (!installed && !now.isBefore(checkedAt.plus(RECHECK))) {
      checkedAt = now;
      installed = client.supports("wgpolicyk8s.io/v1alpha2", "PolicyReport");
    }
    return installed;
  }

  /** Makes the namespace's report say what {@code desired} says; writes nothing if it does. */
  public void write(GenericKubernetesResource desired) {
    if (!installed()) {
      return;
    }
    String namespace = desired.getMetadata().getNamespace();
    Object content = content(desired);
    if (Objects.equals(written.get(namespace), content)) {
      return;
    }
    GenericKubernetesResource existing = client.genericKubernetesResources(PolicyReports.CONTEXT)
        .inNamespace(namespace).withName(PolicyReports.NAME).get();
    if (existing == null) {
      try {
        client.genericKubernetesResources(PolicyReports.CONTEXT).inNamespace(namespace)
            .resource(desired).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        return;
      }
    } else if (!ApiLabels.MANAGED_BY_VALUE.equals(existing.getMetadata().getLabels() == null
        ? null : existing.getMetadata().getLabels().get(ApiLabels.MANAGED_BY))) {
      LOG.warn("PolicyReport {}/{} exists and is not the operator's; it is left alone",
          namespace, PolicyReports.NAME);
      written.put(namespace, content);
      return;
    } else if (!Objects.equals(content(existing), content)) {
      String patch = client.getKubernetesSerialization().asJson(List.of(
          Map.of("op", "replace", "path", "/results", "value",
              desired.getAdditionalProperties().get("results")),
          Map.of("op", "replace", "path", "/summary", "value",
              desired.getAdditionalProperties().get("summary"))));
      client.genericKubernetesResources(PolicyReports.CONTEXT).inNamespace(namespace)
          .resource(existing).patch(PatchContext.of(PatchType.JSON), patch);
    }
    written.put(namespace, content);
  }

  private Object content(GenericKubernetesResource report) {
    return client.getKubernetesSerialization().convertValue(Map.of(
        "results", String.valueOf(client.getKubernetesSerialization()
            .asJson(report.getAdditionalProperties().get("results"))),
        "summary", String.valueOf(client.getKubernetesSerialization()
            .asJson(report.getAdditionalProperties().get("summary")))), Object.class);
  }
}
