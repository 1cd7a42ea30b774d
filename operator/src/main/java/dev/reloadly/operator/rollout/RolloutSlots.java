package dev.reloadly.operator.rollout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator-wide bound on workloads rolling at the same time, over all credentials. Each
 * reconcile reports how many of its credential's workloads are rolling; a credential may start
 * more only while the total stays under the cap. Rebuilt from status as credentials reconcile
 * after a restart.
 */
public final class RolloutSlots {
  private final int cap;
  private final Map<String, Integer> rolling = new ConcurrentHashMap<>();

  public RolloutSlots(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("the rollout cap must be at least 1");
    }
    this.cap = cap;
  }

  /** How many more workloads credential {@code key} may start, besides its own rolling ones. */
  public int free(String key) {
    int others = rolling.entrySet().stream().filter(e -> !e.getKey().equals(key))
        .mapToInt(Map.Entry::getValue).sum();
    return Math.max(0, cap - others - rolling.getOrDefault(key, 0));
  }

  public void report(String key, int count) {
    if (count == 0) {
      rolling.remove(key);
    } else {
      rolling.put(key, count);
    }
  }

  public void forget(String key) {
    rolling.remove(key);
  }
}
