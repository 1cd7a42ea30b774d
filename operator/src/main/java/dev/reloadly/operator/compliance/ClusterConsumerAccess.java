package dev.reloadly.operator.compliance;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The consumers' Role and RoleBinding on the API server: read from the (trimmed) RBAC informers,
 * created, or replaced with the resourceVersion read (update), deleted.
 */
public final class ClusterConsumerAccess<P extends HasMetadata> implements ConsumerAccess.Store {
  private final KubernetesClient client;
  private final Supplier<InformerEventSource<Role, P>> roles;
  private final Supplier<InformerEventSource<RoleBinding, P>> bindings;

  public ClusterConsumerAccess(KubernetesClient client,
      Supplier<InformerEventSource<Role, P>> roles,
      Supplier<InformerEventSource<RoleBinding, P>> bindings) {
    this.client = client;
    this.roles = roles;
    this.bindings = bindings;
  }

  @Override
  public Optional<Role> role(String namespace, String name) {
    return roles.get().get(new ResourceID(name, namespace));
  }

  @Override
  public Optional<RoleBinding> binding(String namespace, String name) {
    return bindings.get().get(new ResourceID(name, namespace));
  }

  @Override
  public void write(HasMetadata desired, Optional<? extends HasMetadata> existing) {
    try {
      if (existing.isEmpty()) {
        client.resource(desired).create();
      } else {
        desired.getMetadata().setResourceVersion(
            existing.get().getMetadata().getResourceVersion());
        client.resource(desired).update();
      }
    } catch (KubernetesClientException e) {
      // The cache lagged a write of ours (exists, or changed meanwhile): the informer's event
      // reconciles again with the fresh object.
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  @Override
  public void delete(HasMetadata existing) {
    client.resource(existing).delete();
  }
}
