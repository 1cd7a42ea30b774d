package dev.reloadly.operator.source;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source Secrets as the operator sees them: from the informer that holds only Secrets labelled
 * {@value ApiLabels#SOURCE_SELECTOR}; a referenced Secret without the label is read once from the
 * API server and labelled, so that its next change reaches the informer.
 */
public final class WatchedSourceSecrets implements SecretLookup {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedSourceSecrets.class);
  private static final String LABEL_PATCH =
      "{\"metadata\":{\"labels\":{\"" + ApiLabels.SOURCE + "\":\"true\"}}}";

  private final KubernetesClient client;
  private final BiFunction<String, String, Optional<Secret>> cache;

  public WatchedSourceSecrets(KubernetesClient client,
      BiFunction<String, String, Optional<Secret>> cache) {
    this.client = client;
    this.cache = cache;
  }

  @Override
  public Optional<Secret> find(String namespace, String name) {
    Optional<Secret> cached = cache.apply(namespace, name);
    if (cached.isPresent()) {
      return cached;
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    try {
      client.secrets().inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), LABEL_PATCH);
      LOG.info("labelled source Secret {}/{} with {} so changes to it are watched", namespace, name,
          ApiLabels.SOURCE_SELECTOR);
    } catch (KubernetesClientException e) {
      // Without the label changes are picked up at the next resync only; reading still works.
      LOG.warn("could not label source Secret {}/{} (HTTP {}); changes to it will be noticed late",
          namespace, name, e.getCode());
    }
    return Optional.of(secret);
  }
}
