package dev.reloadly.operator.keys;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.store.StoredVersions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Store Secrets read from the API server, in the watched namespaces only (all namespaces when none
 * are set), so namespaced RBAC is enough. A 403 is reported, never swallowed.
 */
public final class ClusterStoreSecrets implements StoreSecrets {
  static final String SELECTOR = ApiLabels.MANAGED_SELECTOR + "," + ApiLabels.COMPONENT + "="
      + StoredVersions.COMPONENT;
  /** How a forbidden cluster-wide list is named in {@link Listing#forbiddenNamespaces()}. */
  public static final String ALL_NAMESPACES = "*";

  private final KubernetesClient client;
  private final Set<String> namespaces;

  /** @param namespaces the watched namespaces; empty means all */
  public ClusterStoreSecrets(KubernetesClient client, Set<String> namespaces) {
    this.client = client;
    this.namespaces = new TreeSet<>(namespaces);
  }

  @Override
  public Listing list() {
    List<Secret> secrets = new ArrayList<>();
    List<String> forbidden = new ArrayList<>();
    if (namespaces.isEmpty()) {
      listInto(secrets, forbidden, ALL_NAMESPACES);
    }
    namespaces.forEach(namespace -> listInto(secrets, forbidden, namespace));
    return new Listing(secrets, forbidden);
  }

  @Override
  public void update(Secret secret) {
    client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).update();
  }

  private void listInto(List<Secret> secrets, List<String> forbidden, String namespace) {
    try {
      secrets.addAll((ALL_NAMESPACES.equals(namespace)
          ? client.secrets().inAnyNamespace() : client.secrets().inNamespace(namespace))
          .withLabelSelector(SELECTOR).list().getItems());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) {
        throw e;
      }
      forbidden.add(namespace);
    }
  }
}
