package dev.reloadly.operator.lifecycle;

import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenResult;
import java.time.Instant;

/**
 * The one place that asks Reloadly for a token: under a per-purpose backoff, so neither testing a
 * new version nor minting for the current one can hammer Reloadly, and a failure keeps saying the
 * same thing (the same condition) until the next try.
 */
public final class TokenRequester {
  private final ReloadlyTokenClient tokens;
  private final ValidationBackoff backoff;

  public TokenRequester(ReloadlyTokenClient tokens, ValidationBackoff backoff) {
    this.tokens = tokens;
    this.backoff = backoff;
  }

  /** How the caller puts a failure into words; never a secret. */
  public interface Wording {
    ConditionUpdate rejected(TokenResult.Rejected rejected);

    ConditionUpdate retrying(String cause, Instant retryAt);
  }

  /** The outcome of one call: a token, or the condition explaining why not and when to retry. */
  public sealed interface Attempt {
    /** Reloadly issued a token; the caller owns it and wipes it once written. */
    record Issued(TokenResult.Issued token) implements Attempt {}

    /**
     * No token now: just failed, or still waiting out an earlier failure.
     *
     * @param rejected true when Reloadly refused the credential (not a transient failure)
     */
    record NotNow(ConditionUpdate condition, Instant retryAt, boolean rejected)
        implements Attempt {}
  }

  /**
   * Requests a token unless {@code key}'s backoff says to wait.
   *
   * @param key what the backoff is kept for, e.g. "validate:ns/name@fingerprint"
   */
  public Attempt request(String key, CredentialMaterial material, String audience, Instant now,
      Wording wording) {
    if (!backoff.mayTry(key, now)) {
      // mayTry is false only after a recorded failure, so both are present.
      return new Attempt.NotNow(backoff.lastFailure(key).orElseThrow(),
          backoff.nextTry(key).orElseThrow(),
          backoff.lastWasRejection(key));
    }
    TokenResult result = tokens.requestToken(material.clientId(), material.clientSecret(), audience);
    if (result instanceof TokenResult.Issued issued) {
      backoff.succeeded(key);
      return new Attempt.Issued(issued);
    }
    if (result instanceof TokenResult.Rejected rejected) {
      ConditionUpdate condition = wording.rejected(rejected);
      return new Attempt.NotNow(condition, backoff.rejected(key, now, condition), true);
    }
    TokenResult.RetryLater later = (TokenResult.RetryLater) result;
    Instant retryAt = backoff.failed(key, now, later.after(),
        at -> wording.retrying(later.cause(), at));
    return new Attempt.NotNow(backoff.lastFailure(key).orElseThrow(), retryAt, false);
  }
}
