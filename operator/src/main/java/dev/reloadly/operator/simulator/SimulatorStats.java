package dev.reloadly.operator.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what reached the simulator, including the peak number of requests served at once. */
final class SimulatorStats {

  private final AtomicLong total = new AtomicLong();
  private final Map<String, AtomicLong> perClient = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  void requestStarted() {
    total.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
  }

  void requestFinished() {
    inFlight.decrementAndGet();
  }

  void requestFrom(String clientId) {
    perClient.computeIfAbsent(clientId, id -> new AtomicLong()).incrementAndGet();
  }

  long total() {
    return total.get();
  }

  long from(String clientId) {
    AtomicLong count = perClient.get(clientId);
    return count == null ? 0 : count.get();
  }

  int inFlight() {
    return inFlight.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  void reset() {
    total.set(0);
    perClient.clear();
    maxInFlight.set(inFlight.get());
  }
}
