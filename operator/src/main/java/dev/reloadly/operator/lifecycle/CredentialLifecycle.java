package dev.reloadly.operator.lifecycle;

import static dev.reloadly.operator.api.v1alpha1.Conditions.CREDENTIAL_COMPROMISED;
import static dev.reloadly.operator.api.v1alpha1.Conditions.CREDENTIAL_VALID;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.crypto.KekUnavailableException;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.token.TokenResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Moves a credential's versions along: records what the source offers, answers a reported
 * compromise, tests a pending version with a real token request and promotes it, retires the
 * previous version after its grace period. Kubernetes-free: the reconciler persists the result.
 */
public final class CredentialLifecycle {
  /** Why a version on the operator-wide deny-list is refused, as its incident records it. */
  static final String LISTED = "listed as compromised by the operator (reported on this or"
      + " another credential)";

  private final TokenRequester tokens;
  private final Predicate<String> listed;
  private final int incidentHistory;

  public CredentialLifecycle(TokenRequester tokens) {
    this(tokens, fingerprint -> false, VersionLedger.DEFAULT_INCIDENT_HISTORY);
  }

  /**
   * @param listed whether a fingerprint is on the operator-wide deny-list of compromised versions
   * @param incidentHistory how many incidents each ledger keeps
   */
  public CredentialLifecycle(TokenRequester tokens, Predicate<String> listed,
      int incidentHistory) {
    this.tokens = tokens;
    this.listed = listed;
    this.incidentHistory = incidentHistory;
  }

  /** What the source offers now: its fingerprint and clear material (owned by the caller). */
  public record Offer(String fingerprint, CredentialMaterial material) {}

  /**
   * @param subject namespace/name of the credential, which keys its validation backoff
   * @param compromisedReason value of the compromised annotation, or null
   */
  public record Input(String subject, StoredVersions stored, Optional<Offer> offer, String compromisedReason,
      String audience, CredentialPolicy policy, StoredVersions.Crypto crypto, Instant now,
      RetireGate retire) {

    /** Without consumers to wait for: the previous version retires after its grace period. */
    public Input(String subject, StoredVersions stored, Optional<Offer> offer,
        String compromisedReason, String audience, CredentialPolicy policy,
        StoredVersions.Crypto crypto, Instant now) {
      this(subject, stored, offer, compromisedReason, audience, policy, crypto, now,
          RetireGate.AFTER_GRACE);
    }
  }

  /**
   * When the previous version may retire.
   *
   * @param rolledOnto for a current version's fingerprint, when every consumer was healthy on
   *     it; empty while they are still rolling (the previous version is then kept)
   * @param forced a person asked to retire it now (annotation retire-previous), rollout or not
   */
  public record RetireGate(Function<String, Optional<Instant>> rolledOnto, boolean forced) {
    public static final RetireGate AFTER_GRACE =
        new RetireGate(fingerprint -> Optional.of(Instant.EPOCH), false);
  }

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
    String reason = ReportReason.clean(in.compromisedReason());
    if (reason != null && !reason.isEmpty() && !ledger.handled(reason)) {
      compromisedNow = ledger.current().isPresent();
      Optional<CredentialVersion> pending = ledger.pending();
      ledger = ledger.compromise(reason, "the version's token and credentials", in.now());
      Incident incident = ledger.incidents().get(ledger.incidents().size() - 1);
      warnings.add(compromisedNow ? new ConditionUpdate(CREDENTIAL_COMPROMISED, true,
          Conditions.REPORTED, "version " + incident.fingerprint() + " reported compromised ("
              + reason + "): withdrawn from the target Secret and never served again. Rotate the"
              + " credential in the Reloadly portal.")
          : pending.isPresent() ? new ConditionUpdate(CREDENTIAL_COMPROMISED, true,
              Conditions.REPORTED, "a compromise was reported (" + reason + ") while no version"
                  + " was served: pending version " + pending.get().fingerprint() + " is never"
                  + " promoted. Rotate the credential in the Reloadly portal.")
          : new ConditionUpdate(CREDENTIAL_COMPROMISED, false, Conditions.REPORTED,
              "a compromise was reported (" + reason + ") while the operator knew no version;"
                  + " nothing was withdrawn"));
    }

    boolean waitsForKeys = false;
    if (in.offer().isPresent()) {
      ledger = ledger.offer(in.offer().get().fingerprint(), in.now());
    }
    // Before anything is stored: a listed version is never stored as pending nor promoted.
    VersionLedger refused = ledger.refuse(listed, LISTED, in.now());
    if (ledger.current().isPresent() && refused.current().isEmpty()) {
      compromisedNow = true;
      warnings.add(new ConditionUpdate(CREDENTIAL_COMPROMISED, true, Conditions.REPORTED,
          "version " + ledger.current().get().fingerprint() + " is " + LISTED + ": withdrawn"
              + " from the target Secret and never served again"));
    }
    ledger = refused;
    ledger = ledger.keepIncidents(incidentHistory);

    if (in.offer().isPresent()) {
      Offer offer = in.offer().get();
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
        Ledgered step = validate(in, offer, ledger);
        ledger = step.ledger();
        token = step.token();
        retryAt = step.retryAt();
        step.condition().ifPresent(conditions::add);
      }
    }

    if (in.retire().forced()) {
      ledger = ledger.retireExpired(in.now(), Duration.ZERO);
    } else {
      ledger = ledger.retireExpired(in.now(), in.policy().gracePeriod(), ledger.current()
          .flatMap(c -> in.retire().rolledOnto().apply(c.fingerprint())));
    }
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

  /** A validation step: the ledger after it, and the token, condition and retry it produced. */
  private record Ledgered(VersionLedger ledger, Optional<TokenResult.Issued> token,
      Optional<ConditionUpdate> condition, Optional<Instant> retryAt) {}

  /** Tests the pending offered version with a real token request; promotes it when issued. */
  private Ledgered validate(Input in, Offer offer, VersionLedger ledger) {
    String fingerprint = offer.fingerprint();
    TokenRequester.Attempt attempt = tokens.request("validate:" + in.subject() + "@" + fingerprint,
        offer.material(), in.audience(), in.now(), new TokenRequester.Wording() {
          @Override
          public ConditionUpdate rejected(TokenResult.Rejected rejected) {
            return rejection(fingerprint, rejected, ledger);
          }

          @Override
          public ConditionUpdate retrying(String cause, Instant at) {
            return new ConditionUpdate(CREDENTIAL_VALID, false, Conditions.VALIDATION_PENDING,
                "could not test version " + fingerprint + " yet (" + cause + "); retrying at "
                    + at);
          }
        });
    if (attempt instanceof TokenRequester.Attempt.Issued issued) {
      return new Ledgered(ledger.promote(fingerprint, in.now()), Optional.of(issued.token()),
          Optional.empty(), Optional.empty());
    }
    TokenRequester.Attempt.NotNow notNow = (TokenRequester.Attempt.NotNow) attempt;
    return new Ledgered(ledger, Optional.empty(), Optional.of(notNow.condition()),
        Optional.of(notNow.retryAt()));
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
