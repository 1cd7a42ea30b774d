package dev.reloadly.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.token.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** When a version may be tested again, with the jitter pinned to half the window. */
class ValidationBackoffTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String V1 = "payments/shop@hmac-sha256:01";
  static final String V2 = "payments/shop@hmac-sha256:02";

  private final ValidationBackoff backoff = new ValidationBackoff(
      new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(16), new HalfWindow()));

  @Test
  void aVersionNeverTriedMayBeTriedAtOnce() {
    assertThat(backoff.mayTry(V1, T0)).isTrue();
    assertThat(backoff.nextTry(V1)).isEmpty();
    assertThat(backoff.lastFailure(V1)).isEmpty();
  }

  @Test
  void transientFailuresBackOffExponentiallyUpToTheCap() {
    Instant first = backoff.failed(V1, T0, Duration.ZERO, this::pending);
    assertThat(first).isEqualTo(T0.plusSeconds(1));
    assertThat(backoff.mayTry(V1, first.minusMillis(1))).isFalse();
    assertThat(backoff.mayTry(V1, first)).isTrue();

    Instant second = backoff.failed(V1, first, Duration.ZERO, this::pending);
    Instant third = backoff.failed(V1, second, Duration.ZERO, this::pending);
    Instant fourth = backoff.failed(V1, third, Duration.ZERO, this::pending);
    Instant fifth = backoff.failed(V1, fourth, Duration.ZERO, this::pending);

    assertThat(Duration.between(first, second)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Duration.between(second, third)).isEqualTo(Duration.ofSeconds(4));
    assertThat(Duration.between(third, fourth)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Duration.between(fourth, fifth)).as("capped").isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.nextTry(V1)).contains(fifth);
  }

  @Test
  void aServerDelayLongerThanTheBackoffIsHonoured() {
    Instant next = backoff.failed(V1, T0, Duration.ofSeconds(30), this::pending);

    assertThat(next).isEqualTo(T0.plusSeconds(30));
    assertThat(backoff.mayTry(V1, T0.plusSeconds(29))).isFalse();
  }

  @Test
  void theLastFailureIsRepeatedWhileWaitingSoTheConditionDoesNotFlap() {
    Instant next = backoff.failed(V1, T0, Duration.ZERO, this::pending);

    assertThat(backoff.lastFailure(V1)).contains(pending(next));
    assertThat(backoff.lastFailure(V1).orElseThrow().message()).contains(next.toString());
  }

  @Test
  void aRejectionWaitsAnHourWithItsOwnCondition() {
    ConditionUpdate rejected = new ConditionUpdate(Conditions.CREDENTIAL_VALID, false,
        Conditions.INVALID_CREDENTIALS, "rejected");

    Instant next = backoff.rejected(V1, T0, rejected);

    assertThat(next).isEqualTo(T0.plus(ValidationBackoff.AFTER_REJECTION));
    assertThat(backoff.mayTry(V1, T0.plus(Duration.ofMinutes(59)))).isFalse();
    assertThat(backoff.mayTry(V1, T0.plus(Duration.ofHours(1)))).isTrue();
    assertThat(backoff.lastFailure(V1)).contains(rejected);
  }

  @Test
  void successForgetsThePastAndVersionsAreIndependent() {
    backoff.failed(V1, T0, Duration.ZERO, this::pending);
    backoff.failed(V2, T0, Duration.ofMinutes(5), this::pending);

    backoff.succeeded(V1);

    assertThat(backoff.mayTry(V1, T0)).isTrue();
    assertThat(backoff.nextTry(V1)).isEmpty();
    assertThat(backoff.lastFailure(V1)).isEmpty();
    assertThat(backoff.nextTry(V2)).contains(T0.plus(Duration.ofMinutes(5)));
    // After success the count starts again: the next failure waits the first window.
    assertThat(backoff.failed(V1, T0, Duration.ZERO, this::pending)).isEqualTo(T0.plusSeconds(1));
  }

  private ConditionUpdate pending(Instant at) {
    return new ConditionUpdate(Conditions.CREDENTIAL_VALID, false, Conditions.VALIDATION_PENDING,
        "retrying at " + at);
  }

  /** Jitter pinned to the middle of the window. */
  private static final class HalfWindow implements RandomGenerator {
    @Override
    public long nextLong() {
      return 0;
    }

    @Override
    public double nextDouble() {
      return 0.5;
    }
  }
}
