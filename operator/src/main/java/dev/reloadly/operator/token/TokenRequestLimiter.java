package dev.reloadly.operator.token;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Caps the token requests the whole operator has in flight, so a mass rotation cannot hammer Reloadly. */
public final class TokenRequestLimiter implements MeterBinder {

  public static final int DEFAULT_MAX_CONCURRENT = 4;
  public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofMillis(500);
  /** How long a caller turned away by the limiter is told to wait before trying again. */
  public static final Duration SATURATED_RETRY_AFTER = Duration.ofSeconds(1);

  private final int maxConcurrent;
  private final Duration acquireTimeout;
  private final Semaphore permits;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong turnedAway = new AtomicLong();

  public TokenRequestLimiter() {
    this(DEFAULT_MAX_CONCURRENT, DEFAULT_ACQUIRE_TIMEOUT);
  }

  /**
   * @param acquireTimeout how long a caller may wait for a permit; keep it short because the
   *     caller is a reconcile thread that other resources are queued behind
   */
  public TokenRequestLimiter(int maxConcurrent, Duration acquireTimeout) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
    }
    this.maxConcurrent = maxConcurrent;
    this.acquireTimeout = acquireTimeout;
    this.permits = new Semaphore(maxConcurrent, true);
  }

  /** Wraps {@code client} so every request goes through this limiter. */
  public ReloadlyTokenClient limit(ReloadlyTokenClient client) {
    return (clientId, clientSecret, audience) -> {
      if (!acquire()) {
        turnedAway.incrementAndGet();
        return new TokenResult.RetryLater(SATURATED_RETRY_AFTER,
            "operator-wide token request limit reached (" + maxConcurrent + " in flight)");
      }
      inFlight.incrementAndGet();
      try {
        return client.requestToken(clientId, clientSecret, audience);
      } finally {
        inFlight.decrementAndGet();
        permits.release();
      }
    };
  }

  private boolean acquire() {
    try {
      return permits.tryAcquire(acquireTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Token requests currently being made through this limiter. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Requests that got a RetryLater because no permit came free in time, since start. */
  public long turnedAway() {
    return turnedAway.get();
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("reloadly.token.requests.inflight", this, TokenRequestLimiter::inFlight)
        .description("Reloadly token requests currently in flight")
        .register(registry);
    FunctionCounter.builder("reloadly.token.requests.throttled", this, TokenRequestLimiter::turnedAway)
        .description("Reloadly token requests deferred because the concurrency limit was reached")
        .register(registry);
  }
}
