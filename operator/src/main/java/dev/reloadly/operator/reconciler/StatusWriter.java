package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * Writes a credential's whole status in one patch that replaces it. A diff-based patch computed
 * against a cached copy can apply twice to list entries when the cache lags (seen in tests as a
 * duplicated version); replacing the status is idempotent.
 */
final class StatusWriter {
  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  void write(ReloadlyCredential credential, ReloadlyCredentialStatus status) {
    String patch = client.getKubernetesSerialization().asJson(
        List.of(Map.of("op", "add", "path", "/status", "value", status)));
    ReloadlyCredential updated = client.resources(ReloadlyCredential.class)
        .inNamespace(credential.getMetadata().getNamespace())
        .withName(credential.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), patch);
    credential.setStatus(updated.getStatus());
  }
}
