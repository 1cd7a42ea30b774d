package dev.reloadly.operator.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/** The three outcomes of asking Reloadly for a token: issued, rejected for good, or try again later. */
public sealed interface TokenResult {

  /**
   * A token Reloadly issued. The caller owns {@code accessToken} and should {@link #wipe()} it once
   * it has been written where it belongs; {@link #toString()} never prints it.
   *
   * @param issuedAt when the operator received the token, from its own clock
   * @param expiresAt the earlier of issuedAt + expires_in and the JWT {@code exp} claim
   */
  record Issued(char[] accessToken, String tokenType, String scope, Instant issuedAt, Instant expiresAt)
      implements TokenResult {

    public Issued {
      Objects.requireNonNull(accessToken, "accessToken");
      Objects.requireNonNull(issuedAt, "issuedAt");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** How long the token is valid for, as seen when it was issued. */
    public Duration lifetime() {
      return Duration.between(issuedAt, expiresAt);
    }

    /** Overwrites the token characters so they do not linger on the heap. */
    public void wipe() {
      Arrays.fill(accessToken, '\0');
    }

    // Array components compare by identity in records; compare by content, in constant time.
    @Override
    public boolean equals(Object other) {
      return other instanceof Issued that
          && sameChars(accessToken, that.accessToken)
          && Objects.equals(tokenType, that.tokenType)
          && Objects.equals(scope, that.scope)
          && issuedAt.equals(that.issuedAt)
          && expiresAt.equals(that.expiresAt);
    }

    private static boolean sameChars(char[] a, char[] b) {
      if (a.length != b.length) {
        return false;
      }
      int difference = 0;
      for (int i = 0; i < a.length; i++) {
        difference |= a[i] ^ b[i];
      }
      return difference == 0;
    }

    @Override
    public int hashCode() {
      return Objects.hash(tokenType, scope, issuedAt, expiresAt);
    }

    @Override
    public String toString() {
      return "Issued[accessToken=<redacted " + accessToken.length + " chars>, tokenType=" + tokenType
          + ", scope=" + scope + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
    }
  }

  /**
   * Reloadly refused the request (HTTP 400, 401 or 403); retrying with the same input will not help.
   *
   * @param errorCode Reloadly's {@code errorCode}, e.g. {@link #INVALID_CREDENTIALS}, or
   *     {@code "HTTP_<status>"} when the body carried none
   */
  record Rejected(String errorCode, int httpStatus) implements TokenResult {
    public static final String INVALID_CREDENTIALS = "INVALID_CREDENTIALS";
    public static final String INVALID_AUDIENCE = "INVALID_AUDIENCE";

    public boolean invalidCredentials() {
      return INVALID_CREDENTIALS.equals(errorCode);
    }

    public boolean invalidAudience() {
      return INVALID_AUDIENCE.equals(errorCode);
    }
  }

  /**
   * A transient failure: network error, timeout, 429, 5xx, or the operator's own request limit.
   *
   * @param after the minimum wait the server (or limiter) asked for; {@link Duration#ZERO} when it
   *     said nothing, in which case the caller's {@link Backoff} alone decides
   * @param cause a short, secret-free description for logs and status conditions
   * @param throttled Reloadly itself said slow down (HTTP 429); counted apart in the metrics
   */
  record RetryLater(Duration after, String cause, boolean throttled) implements TokenResult {
    public RetryLater {
      Objects.requireNonNull(after, "after");
      if (after.isNegative()) {
        after = Duration.ZERO;
      }
    }

    public RetryLater(Duration after, String cause) {
      this(after, cause, false);
    }
  }
}
