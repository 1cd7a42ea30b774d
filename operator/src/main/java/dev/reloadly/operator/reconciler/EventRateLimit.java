package dev.reloadly.operator.reconciler;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one Event per key within a window: a condition that flips back and forth (a compliance
 * check on the edge of a bound, an attestation edited twice) records one Event per window, not
 * one per flip. Status still shows every transition.
 */
final class EventRateLimit {
  private final Duration window;
  private final Map<String, Instant> last = new ConcurrentHashMap<>();

  EventRateLimit(Duration window) {
    this.window = window;
  }

  boolean allow(String key, Instant now) {
    Instant previous = last.get(key);
    if (previous != null && now.isBefore(previous.plus(window))) {
      return false;
    }
    last.put(key, now);
    return true;
  }

  void forget(String prefix) {
    last.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
