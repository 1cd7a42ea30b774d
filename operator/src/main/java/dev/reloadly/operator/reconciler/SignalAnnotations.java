package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a one-shot signal annotation (such as refresh-token) from a credential once it was
 * acted on. The only write the operator makes to a credential outside its status.
 */
final class SignalAnnotations {
  private static final Logger LOG = LoggerFactory.getLogger(SignalAnnotations.class);

  private final KubernetesClient client;

  SignalAnnotations(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Removes {@code key}; returns the credential as patched, or empty when it was already gone. A JSON patch "remove", because the test API server stores a merge patch's
   * null as a value; a remove of an absent path answers 422, which here means a person (or another
   * replica) removed it first: done either way.
   */
  Optional<ReloadlyCredential> clear(ReloadlyCredential credential, String key) {
    try {
      // Through resource(..): a patch by name alone would GET the credential first.
      return Optional.of(client.resource(credential).patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":"
              + "\"/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1") + "\"}]"));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422 && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      LOG.debug("annotation {} of {}/{} was already gone (HTTP {})", key,
          credential.getMetadata().getNamespace(), credential.getMetadata().getName(), e.getCode());
      return Optional.empty();
    }
  }
}
