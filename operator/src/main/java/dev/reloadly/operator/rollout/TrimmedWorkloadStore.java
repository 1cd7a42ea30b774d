package dev.reloadly.operator.rollout;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The workload informers' item store: holds each workload trimmed by {@link WorkloadTrim}. */
public final class TrimmedWorkloadStore implements ItemStore<GenericKubernetesResource> {
  private final Map<String, GenericKubernetesResource> items = new ConcurrentHashMap<>();

  @Override
  public String getKey(GenericKubernetesResource workload) {
    return Cache.metaNamespaceKeyFunc(workload);
  }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource workload) {
    return items.put(key, WorkloadTrim.trim(workload));
  }

  @Override
  public GenericKubernetesResource remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<GenericKubernetesResource> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public GenericKubernetesResource get(String key) {
    return items.get(key);
  }

  @Override
  public boolean isFullState() {
    return false;
  }
}
