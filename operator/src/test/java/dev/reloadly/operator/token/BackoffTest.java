package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration BASE = Duration.ofSeconds(1);
  private static final Duration CAP = Duration.ofMinutes(5);

  /** A jitter source pinned to one value, so the window bounds can be asserted exactly. */
  private static RandomGenerator always(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @Test
  void ceilingDoublesPerAttemptUntilTheCap() {
    Backoff backoff = new Backoff(BASE, CAP, always(0.5));

    assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.ceiling(9)).isEqualTo(CAP);
    assertThat(backoff.ceiling(1_000)).isEqualTo(CAP);
    assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(CAP);
  }

  @Test
  void delayIsAFullJitterFractionOfTheCeiling() {
    assertThat(new Backoff(BASE, CAP, always(0.5)).delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(new Backoff(BASE, CAP, always(0.0)).delay(3)).isEqualTo(Duration.ZERO);
    assertThat(new Backoff(BASE, CAP, always(Math.nextDown(1.0))).delay(30)).isLessThanOrEqualTo(CAP);
  }

  @Test
  void realJitterStaysInsideTheWindowAndVaries() {
    Backoff backoff = new Backoff(BASE, CAP, new SplittableRandom(7));
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Duration delay = backoff.delay(4);
      assertThat(delay).isBetween(Duration.ZERO, Duration.ofSeconds(16));
      seen.add(delay);
    }
    assertThat(seen).hasSizeGreaterThan(100);
  }

  @Test
  void longerServerDelayWins() {
    Backoff backoff = new Backoff(BASE, CAP, always(0.5));

    assertThat(backoff.delay(0, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(6, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.delay(6, Duration.ZERO)).isEqualTo(Duration.ofSeconds(32));
  }

  @Test
  void rejectsBaseAboveCap() {
    assertThatThrownBy(() -> new Backoff(CAP, BASE, always(0))).isInstanceOf(IllegalArgumentException.class);
  }
}
