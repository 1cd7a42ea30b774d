package dev.reloadly.operator.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Owns the failures the simulator has been told to inject, and decides which one the next request gets. */
final class FaultPlan {

  /** A failure to answer with instead of the normal protocol. */
  sealed interface Fault {}

  /** Respond with a 5xx status. */
  record ServerError(int status) implements Fault {}

  /** Respond 429; {@code retryAfter} is null when only the X-RateLimit-* headers should be sent. */
  record RateLimited(int limit, Instant reset, Duration retryAfter) implements Fault {}

  /** Respond 200 with a body that is not a usable token answer. */
  record Garbage(ReloadlySimulator.Garbage kind) implements Fault {}

  /** Close the connection without an answer. */
  record Reset() implements Fault {}

  /** Answer normally, but only after {@code delay}: longer than a client waits. */
  record Stall(Duration delay) implements Fault {}

  private final AtomicInteger serverErrorsLeft = new AtomicInteger();
  private volatile int serverErrorStatus = 503;
  private final AtomicInteger rateLimitsLeft = new AtomicInteger();
  private volatile Duration rateLimitDelay = Duration.ZERO;
  private volatile boolean sendRetryAfter = true;
  private FixedWindow window;
  /** Garbage, resets and stalls, in the order a test asked for them; served before the rest. */
  private final Queue<Fault> scripted = new ConcurrentLinkedQueue<>();

  void failNext(int count, int status) {
    if (status < 500 || status > 599) {
      throw new IllegalArgumentException("failNext takes a 5xx status, got " + status);
    }
    serverErrorStatus = status;
    serverErrorsLeft.set(count);
  }

  void rateLimitNext(int count, Duration delay, boolean withRetryAfter) {
    rateLimitDelay = delay;
    sendRetryAfter = withRetryAfter;
    rateLimitsLeft.set(count);
  }

  void scriptNext(int count, Fault fault) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    for (int i = 0; i < count; i++) {
      scripted.add(fault);
    }
  }

  synchronized void rateLimit(int requestsPerWindow, Duration windowLength) {
    window = new FixedWindow(requestsPerWindow, windowLength);
  }

  synchronized void clear() {
    serverErrorsLeft.set(0);
    rateLimitsLeft.set(0);
    scripted.clear();
    window = null;
  }

  /** The fault for a request arriving at {@code now}, consuming it if it was counted. */
  Optional<Fault> next(Instant now) {
    Fault first = scripted.poll();
    if (first != null) {
      return Optional.of(first);
    }
    if (takeOne(serverErrorsLeft)) {
      return Optional.of(new ServerError(serverErrorStatus));
    }
    if (takeOne(rateLimitsLeft)) {
      Duration delay = rateLimitDelay;
      return Optional.of(new RateLimited(100, now.plus(delay), sendRetryAfter ? delay : null));
    }
    synchronized (this) {
      return window == null ? Optional.empty() : window.admit(now);
    }
  }

  private static boolean takeOne(AtomicInteger left) {
    return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** Reloadly-style quota: at most {@code limit} requests per clock-aligned window. */
  private static final class FixedWindow {
    private final int limit;
    private final long windowMillis;
    private long currentWindow = Long.MIN_VALUE;
    private int used;

    FixedWindow(int limit, Duration length) {
      if (limit < 0 || length.toMillis() <= 0) {
        throw new IllegalArgumentException("rateLimit needs limit >= 0 and a window of at least 1ms");
      }
      this.limit = limit;
      this.windowMillis = length.toMillis();
    }

    Optional<Fault> admit(Instant now) {
      long windowIndex = Math.floorDiv(now.toEpochMilli(), windowMillis);
      if (windowIndex != currentWindow) {
        currentWindow = windowIndex;
        used = 0;
      }
      if (used < limit) {
        used++;
        return Optional.empty();
      }
      Instant reset = Instant.ofEpochMilli((windowIndex + 1) * windowMillis);
      return Optional.of(new RateLimited(limit, reset, Duration.between(now, reset)));
    }
  }
}
