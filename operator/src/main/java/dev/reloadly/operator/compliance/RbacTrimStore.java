package dev.reloadly.operator.compliance;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Item store of the RBAC informers (Roles, RoleBindings, ClusterRoles, ClusterRoleBindings): each
 * object keeps its name, namespace, resourceVersion, owners and its rules or roleRef and subjects;
 * labels,
 * annotations (kubectl's last-applied copy) and managedFields go.
 */
public final class RbacTrimStore<T extends HasMetadata> implements ItemStore<T> {
  private final Map<String, T> items = new ConcurrentHashMap<>();

  @Override
  public String getKey(T obj) {
    return Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public T put(String key, T obj) {
    obj.setMetadata(new ObjectMetaBuilder().withName(obj.getMetadata().getName())
        .withNamespace(obj.getMetadata().getNamespace())
        .withResourceVersion(obj.getMetadata().getResourceVersion())
        .withOwnerReferences(obj.getMetadata().getOwnerReferences()).build());
    return items.put(key, obj);
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }

  @Override
  public boolean isFullState() {
    return false;
  }
}
