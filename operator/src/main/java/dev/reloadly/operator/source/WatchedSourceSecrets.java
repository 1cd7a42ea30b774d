package dev.reloadly.operator.source;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Source Secrets as the operator sees them: from the informer that holds only Secrets labelled
 * {@value ApiLabels#SOURCE_SELECTOR}, or else read by name from the API server. A source is only
 * ever read, never written: the operator learns that an unlabelled one changed from the metadata
 * informer ({@link SecretMetadataEventSource}), not from a label it would add.
 */
public final class WatchedSourceSecrets implements SecretLookup {
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
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }
}
