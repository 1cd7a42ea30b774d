package dev.reloadly.operator.source;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The item store of the Secret metadata informer: it keeps a Secret's namespace, name and
 * resourceVersion, nothing else. Whatever the API server sent (metadata only from a real one, the
 * whole Secret from a server that ignores the metadata-only Accept header) is dropped on the way
 * in, so the cache can never hold Secret data, labels, annotations or managedFields.
 */
public final class SecretMetadataStore implements ItemStore<GenericKubernetesResource> {
  private final Map<String, String> resourceVersions = new ConcurrentHashMap<>();

  @Override
  public String getKey(GenericKubernetesResource secret) {
    return Cache.metaNamespaceKeyFunc(secret);
  }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource secret) {
    String version = secret.getMetadata().getResourceVersion();
    // An absent version still has to be remembered: the entry says the Secret exists.
    return restore(key, resourceVersions.put(key, version == null ? "" : version));
  }

  @Override
  public GenericKubernetesResource remove(String key) {
    return restore(key, resourceVersions.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return resourceVersions.keySet().stream();
  }

  @Override
  public Stream<GenericKubernetesResource> values() {
    return resourceVersions.entrySet().stream().map(e -> restore(e.getKey(), e.getValue()));
  }

  @Override
  public int size() {
    return resourceVersions.size();
  }

  @Override
  public GenericKubernetesResource get(String key) {
    return restore(key, resourceVersions.get(key));
  }

  @Override
  public boolean isFullState() {
    // Add events go out as items arrive; the mapping needs no complete list first.
    return false;
  }

  private static GenericKubernetesResource restore(String key, String resourceVersion) {
    if (resourceVersion == null) {
      return null;
    }
    int slash = key.indexOf('/');
    GenericKubernetesResource secret = new GenericKubernetesResource();
    secret.setApiVersion("v1");
    secret.setKind("Secret");
    secret.setMetadata(new ObjectMetaBuilder()
        .withNamespace(slash < 0 ? null : key.substring(0, slash))
        .withName(key.substring(slash + 1))
        .withResourceVersion(resourceVersion.isEmpty() ? null : resourceVersion)
        .build());
    return secret;
  }
}
