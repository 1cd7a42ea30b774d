package dev.reloadly.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventRateLimitTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void oneEventPerKeyAndWindow() {
    EventRateLimit limit = new EventRateLimit(Duration.ofMinutes(10));
    assertThat(limit.allow("ns/a|Compliant", T0)).isTrue();
    assertThat(limit.allow("ns/a|Compliant", T0.plusSeconds(599))).isFalse();
    assertThat(limit.allow("ns/b|Compliant", T0.plusSeconds(1))).as("another key").isTrue();
    assertThat(limit.allow("ns/a|Compliant", T0.plusSeconds(600))).isTrue();
    limit.forget("ns/a|");
    assertThat(limit.allow("ns/a|Compliant", T0.plusSeconds(601))).as("forgotten").isTrue();
  }
}
