package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a credential's whole status in one JSON patch that replaces it, under the
 * resourceVersion the reconcile read:
 * a replica (or a reconcile) working from an older copy gets a conflict instead of overwriting a
 * newer status. Replacing, not diffing, because a diff computed against a lagging cache can apply
 * twice to list entries.
 */
final class StatusWriter {
  private final KubernetesClient client;

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes {@code status} over the credential as read.
   *
   * @return the credential as written, or empty when it changed since it was read (a conflict:
   *     nothing was written)
   */
  Optional<ReloadlyCredential> write(ReloadlyCredential credential,
      ReloadlyCredentialStatus status) {
    // The resourceVersion in the patched object is a precondition, on real API servers and on
    // the test server alike: the patch fails with 409 when the credential changed since.
    String patch = client.getKubernetesSerialization().asJson(List.of(
        Map.of("op", "replace", "path", "/metadata/resourceVersion",
            "value", credential.getMetadata().getResourceVersion()),
        Map.of("op", "add", "path", "/status", "value", status)));
    try {
      // Through resource(..): a patch by name alone would GET the credential first.
      return Optional.of(client.resource(credential).subresource("status")
          .patch(PatchContext.of(PatchType.JSON), patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
