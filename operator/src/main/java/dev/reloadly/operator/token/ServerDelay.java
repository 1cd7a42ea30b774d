package dev.reloadly.operator.token;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads how long the server asked us to wait, from {@code Retry-After} and {@code X-RateLimit-Reset}. */
final class ServerDelay {

  // A broken or hostile header must not park a credential for days; an hour is far beyond any
  // rate-limit window Reloadly documents.
  static final Duration MAX = Duration.ofHours(1);

  // Values below this cannot be epoch seconds (it is 2001-09-09), so treat them as a relative
  // number of seconds, which is what some gateways send in X-RateLimit-Reset.
  private static final long SMALLEST_EPOCH_SECONDS = 1_000_000_000L;

  private final Clock clock;

  ServerDelay(Clock clock) {
    this.clock = clock;
  }

  /** The longest delay either header asks for, capped at {@link #MAX}; zero when neither is usable. */
  Duration from(HttpHeaders headers) {
    Duration retryAfter = headers.firstValue("Retry-After").flatMap(this::parseRetryAfter).orElse(Duration.ZERO);
    Duration reset = headers.firstValue("X-RateLimit-Reset").flatMap(this::parseReset).orElse(Duration.ZERO);
    Duration longest = retryAfter.compareTo(reset) >= 0 ? retryAfter : reset;
    return clamp(longest);
  }

  private Optional<Duration> parseRetryAfter(String value) {
    String trimmed = value.trim();
    Optional<Long> seconds = parseLong(trimmed);
    if (seconds.isPresent()) {
      return Optional.of(Duration.ofSeconds(seconds.get()));
    }
    try {
      // RFC 9110 also allows an HTTP-date.
      Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(Duration.between(clock.instant(), at));
    } catch (DateTimeParseException notADate) {
      return Optional.empty();
    }
  }

  private Optional<Duration> parseReset(String value) {
    Optional<Long> reset = parseLong(value.trim());
    if (reset.isEmpty()) {
      return Optional.empty();
    }
    if (reset.get() < SMALLEST_EPOCH_SECONDS) {
      return Optional.of(Duration.ofSeconds(reset.get()));
    }
    try {
      return Optional.of(Duration.between(clock.instant(), Instant.ofEpochSecond(reset.get())));
    } catch (DateTimeException outOfRange) {
      return Optional.of(MAX);
    }
  }

  private static Optional<Long> parseLong(String value) {
    try {
      return Optional.of(Long.parseLong(value));
    } catch (NumberFormatException notANumber) {
      return Optional.empty();
    }
  }

  private static Duration clamp(Duration delay) {
    if (delay.isNegative()) {
      return Duration.ZERO;
    }
    return delay.compareTo(MAX) > 0 ? MAX : delay;
  }
}
