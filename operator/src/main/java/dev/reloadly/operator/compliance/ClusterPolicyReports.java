package dev.reloadly.operator.compliance;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.apiserver.ServedKind;
import dev.reloadly.operator.apiserver.Writes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each namespace's PolicyReport when the wgpolicyk8s.io CRD is served, and only when its
 * content changed: what was last written is remembered, and read back once after a start. A
 * report of that name the operator did not write is left alone.
 */
public final class ClusterPolicyReports {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterPolicyReports.class);
  private final KubernetesClient client;
  private final ServedKind crd;
  /** Per namespace, the results and summary last written or read, as JSON. */
  private final Map<String, String> written = new ConcurrentHashMap<>();

  public ClusterPolicyReports(KubernetesClient client, Clock clock) {
    this.client = client;
    this.crd = new ServedKind(client, clock, "wgpolicyk8s.io/v1alpha2", "PolicyReport");
  }

  /**
   * Whether a report of {@code namespace} is to be written at all: the CRD is served, and the
   * statuses changed or this process has not written (or read) that report since it started.
   */
  public boolean due(String namespace, boolean statusChanged) {
    return crd.served() && (statusChanged || !written.containsKey(namespace));
  }

  /** Makes the namespace's report say what {@code desired} says; writes nothing if it does. */
  public void write(GenericKubernetesResource desired) {
    if (!crd.served()) {
      return;
    }
    String namespace = desired.getMetadata().getNamespace();
    String content = content(desired);
    if (content.equals(written.get(namespace))) {
      return;
    }
    GenericKubernetesResource existing = client.genericKubernetesResources(PolicyReports.CONTEXT)
        .inNamespace(namespace).withName(PolicyReports.NAME).get();
    if (existing == null) {
      if (!Writes.createUnlessTaken(desired, report -> client
          .genericKubernetesResources(PolicyReports.CONTEXT).inNamespace(namespace)
          .resource(report).create())) {
        return;
      }
    } else if (!ApiLabels.MANAGED_BY_VALUE.equals(existing.getMetadata().getLabels() == null
        ? null : existing.getMetadata().getLabels().get(ApiLabels.MANAGED_BY))) {
      LOG.warn("PolicyReport {}/{} exists and is not the operator's; it is left alone",
          namespace, PolicyReports.NAME);
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

  private String content(GenericKubernetesResource report) {
    return client.getKubernetesSerialization().asJson(java.util.Arrays.asList(
        report.getAdditionalProperties().get("results"),
        report.getAdditionalProperties().get("summary")));
  }
}
