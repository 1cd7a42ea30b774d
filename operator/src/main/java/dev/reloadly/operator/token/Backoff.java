package dev.reloadly.operator.token;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Exponential backoff with full jitter: attempt n waits uniformly in [0, min(cap, base * 2^n)]. */
public final class Backoff {

  private final long baseNanos;
  private final long capNanos;
  private final RandomGenerator random;

  /**
   * @param random the jitter source; only {@link RandomGenerator#nextDouble()} is used, so tests can
   *     pin it
   */
  public Backoff(Duration base, Duration cap, RandomGenerator random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("Backoff needs 0 < base <= cap, got base=" + base + " cap=" + cap);
    }
    this.baseNanos = base.toNanos();
    this.capNanos = cap.toNanos();
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Base 1 second, cap 5 minutes: a token endpoint outage backs off to a few requests per 5 minutes. */
  public static Backoff defaults() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), RandomGenerator.getDefault());
  }

  /** The delay before retry number {@code attempt} (0 for the first retry). */
  public Duration delay(int attempt) {
    // Full rather than partial jitter: credentials that failed together (an outage, a mass
    // rotation) spread their retries over the whole window instead of retrying in lockstep.
    double fraction = random.nextDouble();
    return Duration.ofNanos((long) (fraction * ceilingNanos(attempt)));
  }

  /**
   * Like {@link #delay(int)}, but never shorter than what the server asked for (Retry-After,
   * X-RateLimit-Reset), since retrying earlier would only earn another 429.
   */
  public Duration delay(int attempt, Duration serverDelay) {
    Duration jittered = delay(attempt);
    return serverDelay != null && serverDelay.compareTo(jittered) > 0 ? serverDelay : jittered;
  }

  /** The upper bound of the jitter window for {@code attempt}: min(cap, base * 2^attempt). */
  public Duration ceiling(int attempt) {
    return Duration.ofNanos(ceilingNanos(attempt));
  }

  private long ceilingNanos(int attempt) {
    int exponent = Math.max(0, attempt);
    if (exponent >= Long.SIZE - 1 || baseNanos > (capNanos >> exponent)) {
      return capNanos;
    }
    return Math.min(capNanos, baseNanos << exponent);
  }
}
