package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RefreshScheduleTest {

  private static final Instant ISSUED = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant SANDBOX_EXPIRY = ISSUED.plus(Duration.ofHours(24));
  private static final Instant LIVE_EXPIRY = ISSUED.plus(Duration.ofDays(60));

  @Test
  void percentRefreshesThatShareOfTheLifetimeBeforeExpiry() {
    RefreshSchedule schedule = RefreshSchedule.parse("33%");

    assertThat(schedule.refreshAt(ISSUED, SANDBOX_EXPIRY)).isEqualTo(SANDBOX_EXPIRY.minus(Duration.ofMinutes(475).plusSeconds(12)));
    assertThat(schedule.refreshAt(ISSUED, LIVE_EXPIRY)).isEqualTo(LIVE_EXPIRY.minus(Duration.ofHours(475).plusMinutes(12)));
  }

  @Test
  void durationRefreshesThatLongBeforeExpiry() {
    RefreshSchedule schedule = RefreshSchedule.parse("1h");

    assertThat(schedule.refreshAt(ISSUED, SANDBOX_EXPIRY)).isEqualTo(SANDBOX_EXPIRY.minus(Duration.ofHours(1)));
  }

  @Test
  void durationLongerThanTheLifetimeFallsBackToHalfTheLifetime() {
    RefreshSchedule schedule = RefreshSchedule.parse("2d");

    assertThat(schedule.refreshAt(ISSUED, SANDBOX_EXPIRY)).isEqualTo(ISSUED.plus(Duration.ofHours(12)));
    assertThat(schedule.refreshAt(ISSUED, ISSUED.plusSeconds(5), "ns/five-seconds")).isBetween(ISSUED, ISSUED.plusSeconds(5));
  }

  @Test
  void jitterOnlyMovesEarlierAndByAtMostTenPercentOfTheWindow() {
    RefreshSchedule schedule = RefreshSchedule.parse("1h");
    Instant planned = SANDBOX_EXPIRY.minus(Duration.ofHours(1));
    Set<Instant> distinct = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      Instant jittered = schedule.refreshAt(ISSUED, SANDBOX_EXPIRY, "namespace-" + i + "/credential");
      assertThat(jittered).isBetween(planned.minus(Duration.ofMinutes(6)), planned);
      distinct.add(jittered);
    }
    assertThat(distinct).hasSizeGreaterThan(450);
  }

  @Test
  void jitterIsStablePerKey() {
    RefreshSchedule schedule = RefreshSchedule.parse("33%");

    assertThat(schedule.refreshAt(ISSUED, LIVE_EXPIRY, "payments/reloadly"))
        .isEqualTo(schedule.refreshAt(ISSUED, LIVE_EXPIRY, "payments/reloadly"))
        .isNotEqualTo(schedule.refreshAt(ISSUED, LIVE_EXPIRY, "payments/reloadly-2"));
  }

  @Test
  void jitteredRefreshNeverPrecedesIssueNorPassesExpiry() {
    RefreshSchedule schedule = RefreshSchedule.parse("99%");
    for (int i = 0; i < 100; i++) {
      Instant at = schedule.refreshAt(ISSUED, SANDBOX_EXPIRY, "key-" + i);
      assertThat(at).isBetween(ISSUED, SANDBOX_EXPIRY);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0%", "100%", "150%", "-5%", "abc%", "%", "0s", "soon", "1h%"})
  void rejectsNonsense(String spec) {
    assertThatThrownBy(() -> RefreshSchedule.parse(spec)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unitFractionIsInTheUnitInterval() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(RefreshSchedule.unitFraction("k" + i)).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
    }
  }
}
