package dev.reloadly.operator.time;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human duration strings in Kubernetes/Go style ("2160h", "1h30m", "500ms") plus days ("90d"). */
public final class DurationParser {

  private static final Pattern TERM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|\\u00b5s|ms|s|m|h|d)");
  private static final String EXPECTED = "expected e.g. \"90d\", \"2160h\", \"1h30m\", \"90s\" or \"500ms\"";

  private static final Map<String, BigInteger> NANOS_PER_UNIT = Map.of(
      "ns", BigInteger.ONE,
      "us", BigInteger.valueOf(1_000L),
      "\u00b5s", BigInteger.valueOf(1_000L),
      "ms", BigInteger.valueOf(1_000_000L),
      "s", BigInteger.valueOf(1_000_000_000L),
      "m", BigInteger.valueOf(60_000_000_000L),
      "h", BigInteger.valueOf(3_600_000_000_000L),
      // Go has no day unit; operators think in days for credential lifetimes, and a day is always
      // 24h here because these durations feed instants, not calendar dates.
      "d", BigInteger.valueOf(86_400_000_000_000L));

  private DurationParser() {}

  /**
   * Parses {@code text} into a non-negative duration.
   *
   * @throws IllegalArgumentException with a one-line message when the text is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("Invalid duration: empty; " + EXPECTED);
    }
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = TERM.matcher(trimmed);
    BigDecimal totalNanos = BigDecimal.ZERO;
    int position = 0;
    while (position < trimmed.length()) {
      // Anchored at the position: find() would scan on through the rest of the text, retrying
      // the digits at every offset, which is quadratic; 100,000 digits without a unit (a spec
      // with no schema to bound it) held a reconcile thread for minutes.
      matcher.region(position, trimmed.length());
      if (!matcher.lookingAt()) {
        throw invalid(text);
      }
      BigDecimal amount = new BigDecimal(matcher.group(1));
      totalNanos = totalNanos.add(amount.multiply(new BigDecimal(NANOS_PER_UNIT.get(matcher.group(2)))));
      position = matcher.end();
    }
    return toDuration(text, totalNanos);
  }

  private static Duration toDuration(String text, BigDecimal totalNanos) {
    BigInteger nanos = totalNanos.toBigInteger();
    BigInteger[] secondsAndNanos = nanos.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
    if (secondsAndNanos[0].bitLength() >= Long.SIZE) {
      throw new IllegalArgumentException("Invalid duration \"" + text + "\": too large");
    }
    return Duration.ofSeconds(secondsAndNanos[0].longValue(), secondsAndNanos[1].longValue());
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("Invalid duration \"" + text + "\": " + EXPECTED);
  }
}
