package dev.reloadly.operator.lifecycle;

import dev.reloadly.operator.token.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a version may be tested again: exponential backoff with jitter after transient failures,
 * a long pause after Reloadly rejected it. In memory: a restart costs at most one extra request.
 */
public final class ValidationBackoff {
  /** A rejected credential is retried this late, in case it was activated in the portal since. */
  static final Duration AFTER_REJECTION = Duration.ofHours(1);

  private final Backoff backoff;
  private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();

  public ValidationBackoff(Backoff backoff) {
    this.backoff = backoff;
  }

  public boolean mayTry(String fingerprint, Instant now) {
    Attempts a = attempts.get(fingerprint);
    return a == null || !now.isBefore(a.nextTry());
  }

  public Optional<Instant> nextTry(String fingerprint) {
    return Optional.ofNullable(attempts.get(fingerprint)).map(Attempts::nextTry);
  }

  /** Records a transient failure and its condition; returns when to try again. */
  public Instant failed(String fingerprint, Instant now, Duration serverDelay,
      java.util.function.Function<Instant, ConditionUpdate> condition) {
    Attempts previous = attempts.get(fingerprint);
    int count = previous == null ? 0 : previous.count() + 1;
    Instant next = now.plus(backoff.delay(count, serverDelay));
    attempts.put(fingerprint, new Attempts(count, next, condition.apply(next), false));
    return next;
  }

  /** Records a rejection and its condition; returns when to try again. */
  public Instant rejected(String fingerprint, Instant now, ConditionUpdate condition) {
    Instant next = now.plus(AFTER_REJECTION);
    attempts.put(fingerprint, new Attempts(0, next, condition, true));
    return next;
  }

  /** The condition the last failure produced, repeated while waiting so it does not flap. */
  public Optional<ConditionUpdate> lastFailure(String fingerprint) {
    return Optional.ofNullable(attempts.get(fingerprint)).map(Attempts::condition);
  }

  /** True when the last failure recorded for {@code fingerprint} was a rejection. */
  public boolean lastWasRejection(String fingerprint) {
    return Optional.ofNullable(attempts.get(fingerprint)).map(Attempts::rejected).orElse(false);
  }

  public void succeeded(String fingerprint) {
    attempts.remove(fingerprint);
  }

  private record Attempts(int count, Instant nextTry, ConditionUpdate condition, boolean rejected) {}
}
