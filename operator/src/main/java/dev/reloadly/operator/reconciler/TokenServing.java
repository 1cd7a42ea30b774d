package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.api.v1alpha1.Conditions.TOKEN_READY;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import dev.reloadly.operator.lifecycle.TokenRequester;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.token.RefreshSchedule;
import dev.reloadly.operator.token.ServedToken;
import dev.reloadly.operator.token.TokenResult;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides which bearer token the target Secret serves for the current version: the one it already
 * serves, a freshly minted one (only when that one is due, or a person forced a refresh), or none.
 * A fresh and a kept token read the same in status (reason TokenValid), so a routine refresh costs
 * one status write and no Event.
 */
final class TokenServing {
  private final TokenRequester tokens;

  TokenServing(TokenRequester tokens) {
    this.tokens = tokens;
  }

  /**
   * @param subject namespace/name: keys the backoff and spreads refreshes (jitter)
   * @param served what the target serves now, if minted for {@code fingerprint}
   * @param fresh a token the lifecycle minted while validating this version, if any
   */
  record Request(String subject, String fingerprint, CredentialMaterial material, String audience,
      Optional<ServedToken> served, Optional<TokenResult.Issued> fresh, RefreshSchedule schedule,
      boolean forced, Instant now) {}

  /**
   * @param minted a new token to write (the caller wipes it)
   * @param kept the served token to keep, when nothing new was minted and it is still valid
   */
  record Decision(Optional<TokenResult.Issued> minted, Optional<ServedToken> kept,
      Optional<ConditionUpdate> condition, Optional<Instant> nextDue) {

    Optional<Instant> expiresAt() {
      return minted.map(TokenResult.Issued::expiresAt).or(() -> kept.map(ServedToken::expiresAt));
    }
  }

  Decision decide(Request r) {
    boolean due = r.served()
        .map(s -> s.needsRefresh(r.fingerprint(), r.schedule(), r.subject(), r.now()))
        .orElse(true);
    Optional<TokenResult.Issued> minted = r.fresh();
    Optional<ConditionUpdate> failure = Optional.empty();
    Optional<Instant> retryAt = Optional.empty();
    if (minted.isEmpty() && (due || r.forced())) {
      boolean stillValid = r.served().filter(s -> s.expiresAt().isAfter(r.now())).isPresent();
      TokenRequester.Attempt attempt = tokens.request("token:" + r.subject() + ":" + r.fingerprint(),
          r.material(), r.audience(), r.now(), new TokenRequester.Wording() {
            @Override
            public ConditionUpdate rejected(TokenResult.Rejected rejected) {
              return new ConditionUpdate(TOKEN_READY, false, Conditions.TOKEN_REQUEST_FAILED,
                  "Reloadly now rejects current version " + r.fingerprint() + " ("
                      + rejected.errorCode() + "): was it revoked in the portal?");
            }

            @Override
            public ConditionUpdate retrying(String cause, Instant at) {
              return new ConditionUpdate(TOKEN_READY, stillValid, Conditions.TOKEN_REQUEST_FAILED,
                  "token request failed (" + cause + "); retrying at " + at);
            }
          });
      if (attempt instanceof TokenRequester.Attempt.Issued issued) {
        minted = Optional.of(issued.token());
      } else {
        TokenRequester.Attempt.NotNow notNow = (TokenRequester.Attempt.NotNow) attempt;
        failure = Optional.of(notNow.condition());
        retryAt = Optional.of(notNow.retryAt());
      }
    }
    if (minted.isPresent()) {
      TokenResult.Issued token = minted.get();
      return new Decision(minted, Optional.empty(), Optional.of(valid(token.expiresAt())),
          Optional.of(r.schedule().refreshAt(token.issuedAt(), token.expiresAt(), r.subject())));
    }
    Optional<ServedToken> kept = r.served().filter(s -> s.expiresAt().isAfter(r.now()));
    if (failure.isPresent()) {
      return new Decision(Optional.empty(), kept, failure, retryAt);
    }
    return new Decision(Optional.empty(), kept, kept.map(s -> valid(s.expiresAt())),
        kept.map(s -> s.refreshAt(r.schedule(), r.subject())));
  }

  private static ConditionUpdate valid(Instant expiresAt) {
    return new ConditionUpdate(TOKEN_READY, true, Conditions.TOKEN_VALID,
        "bearer token valid until " + expiresAt);
  }
}
