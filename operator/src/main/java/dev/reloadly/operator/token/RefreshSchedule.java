package dev.reloadly.operator.token;

import dev.reloadly.operator.time.DurationParser;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Decides when a token is refreshed, from a refreshBefore spec: "33%" of its lifetime or "1h" before expiry. */
public final class RefreshSchedule {

  /** Jitter moves a refresh earlier by up to this share of the refresh window. */
  static final double MAX_JITTER_FRACTION = 0.10;

  private final String spec;
  private final BigDecimal percent;
  private final Duration before;

  private RefreshSchedule(String spec, BigDecimal percent, Duration before) {
    this.spec = spec;
    this.percent = percent;
    this.before = before;
  }

  /**
   * Parses "33%" (0 &lt; percent &lt; 100) or a duration accepted by {@link DurationParser}.
   *
   * @throws IllegalArgumentException with a one-line message for anything else
   */
  public static RefreshSchedule parse(String refreshBefore) {
    if (refreshBefore == null || refreshBefore.isBlank()) {
      throw new IllegalArgumentException("refreshBefore is empty: expected a percentage like \"33%\" or a duration like \"1h\"");
    }
    String trimmed = refreshBefore.trim();
    if (trimmed.endsWith("%")) {
      BigDecimal percent;
      try {
        percent = new BigDecimal(trimmed.substring(0, trimmed.length() - 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("refreshBefore \"" + refreshBefore + "\" is not a percentage like \"33%\"");
      }
      if (percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) >= 0) {
        throw new IllegalArgumentException("refreshBefore \"" + refreshBefore + "\" must be between 0% and 100%, exclusive");
      }
      return new RefreshSchedule(trimmed, percent, null);
    }
    Duration before = DurationParser.parse(trimmed);
    if (before.isZero()) {
      throw new IllegalArgumentException("refreshBefore \"" + refreshBefore + "\" must be longer than zero");
    }
    return new RefreshSchedule(trimmed, null, before);
  }

  /**
   * When to refresh a token valid from {@code issuedAt} to {@code expiresAt}, without jitter.
   * A duration at least as long as the whole lifetime (say "2d" with 24h sandbox tokens) falls back
   * to half the lifetime, so a misconfiguration does not become a refresh loop.
   */
  public Instant refreshAt(Instant issuedAt, Instant expiresAt) {
    Duration lifetime = Duration.between(issuedAt, expiresAt);
    if (lifetime.isNegative() || lifetime.isZero()) {
      return expiresAt;
    }
    return expiresAt.minus(window(lifetime));
  }

  /**
   * Like {@link #refreshAt(Instant, Instant)}, moved earlier by a jitter derived from
   * {@code jitterKey} (for example "namespace/name"), up to 10% of the refresh window. The same key
   * always gets the same jitter, so reconciling twice never moves the schedule, while thousands of
   * credentials issued together still spread out. Earlier rather than later, because the user's
   * refreshBefore is a promise about how much validity is left when we refresh.
   */
  public Instant refreshAt(Instant issuedAt, Instant expiresAt, String jitterKey) {
    Instant planned = refreshAt(issuedAt, expiresAt);
    Duration window = Duration.between(planned, expiresAt);
    long jitterNanos = (long) (window.toNanos() * MAX_JITTER_FRACTION * unitFraction(jitterKey));
    Instant jittered = planned.minusNanos(jitterNanos);
    return jittered.isBefore(issuedAt) ? issuedAt : jittered;
  }

  /** How long before expiry the refresh happens, for a token of the given lifetime (no jitter). */
  public Duration window(Duration lifetime) {
    if (percent != null) {
      BigDecimal nanos = new BigDecimal(lifetime.toNanos()).multiply(percent).movePointLeft(2);
      return Duration.ofNanos(nanos.longValue());
    }
    return before.compareTo(lifetime) < 0 ? before : lifetime.dividedBy(2);
  }

  /** A stable value in [0, 1) for the key; SHA-256 rather than hashCode for an even spread. */
  static double unitFraction(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Objects.requireNonNullElse(key, "").getBytes(StandardCharsets.UTF_8));
      return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return spec;
  }
}
