package dev.reloadly.operator.lifecycle;

import static dev.reloadly.operator.api.v1alpha1.Conditions.CREDENTIAL_COMPROMISED;
import static dev.reloadly.operator.api.v1alpha1.Conditions.CREDENTIAL_VALID;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.crypto.KekUnavailableException;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves a credential's versions along: records what the source offers, answers a reported
 * compromise, tests a pending version with a real token request and promotes it, retires the
 * previous version after its grace period. Kubernetes-free: the reconciler persists the result.
 */
public final class CredentialLifecycle {
  private final ReloadlyTokenClient tokens;
  private final ValidationBackoff backoff;

  public CredentialLifecycle(ReloadlyTokenClient tokens, ValidationBackoff backoff) {
    this.tokens = tokens;
    this.backoff = backoff;
  }

  /** What the source offers now: its fingerprint and clear material (owned by the caller). */
  public record Offer(String fingerprint, CredentialMaterial material) {}

  /**
   * @param subject namespace/name of the credential, which keys its validation backoff
   * @param compromisedReason value of the compromised annotation, or null
   */
  public record Input(String subject, StoredVersions stored, Optional<Offer> offer, String compromisedReason,
      String audience, CredentialPolicy policy, StoredVersions.Crypto crypto, Instant now) {}

  /**
   * @param token a token issued while testing the newly promoted version; the caller serves it
   *     rather than asking Reloadly twice
   * @param compromisedNow a compromise was reported in this step: the target must be withdrawn
   */
  public record Outcome(StoredVersions stored, List<ConditionUpdate> conditions,
      List<ConditionUpdate> warnings, Optional<Instant> retryAt, Optional<TokenResult.Issued> token,
      boolean compromisedNow) {}

  public Outcome advance(Input in) {
    StoredVersions stored = in.stored();
    VersionLedger ledger = stored.ledger();
    List<ConditionUpdate> conditions = new ArrayList<>();
    List<ConditionUpdate> warnings = new ArrayList<>();
    Optional<Instant> retryAt = Optional.empty();
    Optional<TokenResult.Issued> token = Optional.empty();

    boolean compromisedNow = false;
    String reason = in.compromisedReason();
    if (reason != null && !reason.isBlank() && !ledger.hasIncident(reason)) {
      compromisedNow = ledger.current().isPresent();
      ledger = ledger.compromise(reason, "the version's token and credentials", in.now());
      warnings.add(!compromisedNow ? new ConditionUpdate(CREDENTIAL_COMPROMISED, false,
          Conditions.REPORTED, "a compromise was reported (" + reason + ") while no version was"
              + " served; nothing was withdrawn")
          : new ConditionUpdate(CREDENTIAL_COMPROMISED, true, Conditions.REPORTED,
          "version " + ledger.incidents().get(ledger.incidents().size() - 1).fingerprint()
              + " reported compromised (" + reason + "): withdrawn from the target Secret and"
              + " never served again. Rotate the credential in the Reloadly portal."));
    }

    boolean waitsForKeys = false;
    if (in.offer().isPresent()) {
      Offer offer = in.offer().get();
      ledger = ledger.offer(offer.fingerprint(), in.now());
      if (!stored.hasValue(offer.fingerprint()) && !ledger.isCompromised(offer.fingerprint())) {
        try {
          stored = stored.withValue(offer.fingerprint(), offer.material(), in.crypto());
        } catch (KekUnavailableException e) {
          // Not stored, so not tested or promoted either: the served version stays as it is.
          waitsForKeys = true;
          Instant retry = in.now().plus(e.retryAfter());
          retryAt = Optional.of(retry);
          conditions.add(new ConditionUpdate(CREDENTIAL_VALID, false,
              Conditions.KEY_PROVIDER_UNAVAILABLE, "version " + offer.fingerprint()
                  + " waits to be stored: " + e.getMessage() + "; retrying at " + retry));
        }
      }
      if (ledger.isCompromised(offer.fingerprint())) {
        conditions.add(new ConditionUpdate(CREDENTIAL_VALID, false, Conditions.COMPROMISED_OFFERED,
            "the source still offers compromised version " + offer.fingerprint()
                + "; rotate in the Reloadly portal and update the source"));
      }
      Optional<CredentialVersion> pending = waitsForKeys ? Optional.empty() : ledger.pending()
          .filter(p -> p.fingerprint().equals(offer.fingerprint()));
      if (pending.isPresent()) {
        String attempt = in.subject() + "@" + offer.fingerprint();
        if (backoff.mayTry(attempt, in.now())) {
          TokenResult result = tokens.requestToken(offer.material().clientId(),
              offer.material().clientSecret(), in.audience());
          if (result instanceof TokenResult.Issued issued) {
            backoff.succeeded(attempt);
            ledger = ledger.promote(offer.fingerprint(), in.now());
            token = Optional.of(issued);
          } else if (result instanceof TokenResult.Rejected rejected) {
            ConditionUpdate condition = rejection(offer.fingerprint(), rejected, ledger);
            retryAt = Optional.of(backoff.rejected(attempt, in.now(), condition));
            conditions.add(condition);
          } else if (result instanceof TokenResult.RetryLater later) {
            Instant next = backoff.failed(attempt, in.now(), later.after(),
                at -> new ConditionUpdate(CREDENTIAL_VALID, false, Conditions.VALIDATION_PENDING,
                    "could not test version " + offer.fingerprint() + " yet (" + later.cause()
                        + "); retrying at " + at));
            retryAt = Optional.of(next);
            conditions.add(backoff.lastFailure(attempt).orElseThrow());
          }
        } else {
          retryAt = backoff.nextTry(attempt);
          backoff.lastFailure(attempt).ifPresent(conditions::add);
        }
      }
    }

    ledger = ledger.retireExpired(in.now(), in.policy().gracePeriod());
    if (ledger.current().isPresent() && conditions.stream()
        .noneMatch(c -> c.type().equals(CREDENTIAL_VALID))) {
      CredentialVersion current = ledger.current().get();
      conditions.add(new ConditionUpdate(CREDENTIAL_VALID, true, Conditions.VALID,
          "version " + current.fingerprint() + " was accepted by Reloadly at "
              + current.validatedAt()));
    }
    boolean openIncident = ledger.incidents().stream().anyMatch(i -> i.resolvedAt() == null);
    if (!compromisedNow) {
      conditions.add(openIncident
          ? new ConditionUpdate(CREDENTIAL_COMPROMISED, true, Conditions.REPORTED,
              "a compromised version was withdrawn; waiting for a new credential from the source")
          : new ConditionUpdate(CREDENTIAL_COMPROMISED, false,
              ledger.incidents().isEmpty() ? Conditions.NO_INCIDENT : Conditions.REPLACED,
              ledger.incidents().isEmpty() ? "no compromise reported"
                  : "the last compromised version was replaced"));
    } else {
      conditions.addAll(warnings);
    }
    return new Outcome(stored.withLedger(ledger), conditions, warnings, retryAt, token,
        compromisedNow);
  }

  private static ConditionUpdate rejection(String fingerprint, TokenResult.Rejected rejected,
      VersionLedger ledger) {
    String serving = ledger.current()
        .map(c -> "version " + c.fingerprint() + " keeps serving")
        .orElse("no version is served");
    return new ConditionUpdate(CREDENTIAL_VALID, false,
        rejected.invalidAudience() ? Conditions.INVALID_AUDIENCE : Conditions.INVALID_CREDENTIALS,
        "Reloadly rejected version " + fingerprint + " (" + rejected.errorCode() + ", HTTP "
            + rejected.httpStatus() + "); " + serving);
  }
}
