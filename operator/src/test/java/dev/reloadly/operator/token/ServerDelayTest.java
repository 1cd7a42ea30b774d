package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerDelayTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final ServerDelay delay = new ServerDelay(clock);

  private static HttpHeaders headers(Map<String, String> values) {
    Map<String, List<String>> lists = new java.util.HashMap<>();
    values.forEach((name, value) -> lists.put(name, List.of(value)));
    return HttpHeaders.of(lists, (name, value) -> true);
  }

  @Test
  void retryAfterSeconds() {
    assertThat(delay.from(headers(Map.of("Retry-After", "7")))).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterHttpDate() {
    String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(90).atOffset(ZoneOffset.UTC));

    assertThat(delay.from(headers(Map.of("Retry-After", in90s)))).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void rateLimitResetAsEpochSecondsOrRelativeSeconds() {
    long in60s = clock.instant().plusSeconds(60).getEpochSecond();

    assertThat(delay.from(headers(Map.of("X-RateLimit-Reset", Long.toString(in60s))))).isEqualTo(Duration.ofSeconds(60));
    assertThat(delay.from(headers(Map.of("X-RateLimit-Reset", "15")))).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void theLongerHeaderWins() {
    long in60s = clock.instant().plusSeconds(60).getEpochSecond();

    assertThat(delay.from(headers(Map.of("Retry-After", "5", "X-RateLimit-Reset", Long.toString(in60s)))))
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void garbagePastAndAbsurdValuesAreBounded() {
    assertThat(delay.from(headers(Map.of()))).isZero();
    assertThat(delay.from(headers(Map.of("Retry-After", "soon")))).isZero();
    assertThat(delay.from(headers(Map.of("Retry-After", "-5")))).isZero();
    assertThat(delay.from(headers(Map.of("X-RateLimit-Reset", "1500000000")))).isZero();
    assertThat(delay.from(headers(Map.of("Retry-After", "99999999")))).isEqualTo(ServerDelay.MAX);
    assertThat(delay.from(headers(Map.of("X-RateLimit-Reset", Long.toString(Long.MAX_VALUE))))).isEqualTo(ServerDelay.MAX);
  }
}
