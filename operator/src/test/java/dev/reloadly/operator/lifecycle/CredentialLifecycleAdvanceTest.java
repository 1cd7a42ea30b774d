package dev.reloadly.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.token.Backoff;
import dev.reloadly.operator.token.RefreshSchedule;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One step of a credential's versions, with a scripted token endpoint and no server. */
class CredentialLifecycleAdvanceTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String SUBJECT = "payments/shop";
  static final String AUDIENCE = "https://topups-sandbox.reloadly.com";
  static final String FP1 = "hmac-sha256:" + "1".repeat(32);
  static final String FP2 = "hmac-sha256:" + "2".repeat(32);
  static final Duration GRACE = Duration.ofHours(1);
  static final CredentialPolicy POLICY = new CredentialPolicy(
      new RotationSchedule(Duration.ofDays(90), Duration.ofDays(14)), GRACE, true,
      RefreshSchedule.parse("33%"));

  private final SecureRandom random = new SecureRandom();
  private final StoredVersions.Crypto crypto = new StoredVersions.Crypto(
      new StoredVersions.Binding("payments", "shop", "uid-1"), new EnvelopeCipher(random),
      KekRing.generate(T0, random));
  private final ScriptedTokens tokens = new ScriptedTokens();
  private final CredentialLifecycle lifecycle = lifecycle(tokens);

  /** The one place the class under test is built. */
  private static CredentialLifecycle lifecycle(ReloadlyTokenClient tokens) {
    return new CredentialLifecycle(
        new TokenRequester(tokens, new ValidationBackoff(Backoff.defaults())));
  }

  @Test
  void aNewOfferIsStoredTestedOnceAndPromotedWithItsToken() {
    tokens.answer(issued());

    CredentialLifecycle.Outcome outcome = advance(StoredVersions.empty(), offer(FP1, "secret-1"),
        null, T0);

    assertThat(tokens.calls).containsExactly("id-1:secret-1@" + AUDIENCE);
    VersionLedger ledger = outcome.stored().ledger();
    assertThat(ledger.current()).map(CredentialVersion::fingerprint).contains(FP1);
    assertThat(ledger.current()).map(CredentialVersion::validatedAt).contains(T0);
    assertThat(outcome.stored().hasValue(FP1)).isTrue();
    assertThat(outcome.token()).isPresent();
    assertThat(outcome.retryAt()).isEmpty();
    assertThat(outcome.compromisedNow()).isFalse();
    ConditionUpdate valid = condition(outcome, Conditions.CREDENTIAL_VALID);
    assertThat(valid.status()).isTrue();
    assertThat(valid.reason()).isEqualTo(Conditions.VALID);
    assertThat(condition(outcome, Conditions.CREDENTIAL_COMPROMISED).reason())
        .isEqualTo(Conditions.NO_INCIDENT);
  }

  @Test
  void theCurrentVersionOfferedAgainIsNotTestedAgain() {
    StoredVersions stored = servingFp1();

    CredentialLifecycle.Outcome outcome = advance(stored, offer(FP1, "secret-1"), null,
        T0.plus(Duration.ofDays(1)));

    assertThat(tokens.calls).isEmpty();
    assertThat(outcome.stored().ledger()).isEqualTo(stored.ledger());
    assertThat(outcome.token()).isEmpty();
    assertThat(outcome.conditions()).anyMatch(c -> c.type().equals(Conditions.CREDENTIAL_VALID)
        && c.status() && c.message().contains(FP1));
  }

  @Test
  void aRejectedNewVersionStaysPendingWhileTheCurrentOneKeepsServing() {
    StoredVersions stored = servingFp1();
    tokens.answer(new TokenResult.Rejected(TokenResult.Rejected.INVALID_CREDENTIALS, 401));

    CredentialLifecycle.Outcome outcome = advance(stored, offer(FP2, "typo"), null, T0);

    VersionLedger ledger = outcome.stored().ledger();
    assertThat(ledger.current()).map(CredentialVersion::fingerprint).contains(FP1);
    assertThat(ledger.pending()).map(CredentialVersion::fingerprint).contains(FP2);
    assertThat(outcome.token()).isEmpty();
    assertThat(outcome.retryAt()).contains(T0.plus(Duration.ofHours(1)));
    ConditionUpdate valid = condition(outcome, Conditions.CREDENTIAL_VALID);
    assertThat(valid.status()).isFalse();
    assertThat(valid.reason()).isEqualTo(Conditions.INVALID_CREDENTIALS);
    assertThat(valid.message()).contains(FP2).contains(FP1 + " keeps serving")
        .doesNotContain("typo");

    // A minute later nothing is asked again; the same condition is repeated.
    CredentialLifecycle.Outcome later = advance(outcome.stored(), offer(FP2, "typo"), null,
        T0.plus(Duration.ofMinutes(1)));
    assertThat(tokens.calls).hasSize(1);
    assertThat(condition(later, Conditions.CREDENTIAL_VALID)).isEqualTo(valid);
    assertThat(later.retryAt()).contains(T0.plus(Duration.ofHours(1)));
  }

  @Test
  void aTransientFailureWaitsWhatTheServerAskedThenPromotes() {
    StoredVersions stored = servingFp1();
    tokens.answer(new TokenResult.RetryLater(Duration.ofSeconds(30), "rate limited"));

    CredentialLifecycle.Outcome failed = advance(stored, offer(FP2, "secret-2"), null, T0);

    assertThat(failed.retryAt()).contains(T0.plusSeconds(30));
    ConditionUpdate pending = condition(failed, Conditions.CREDENTIAL_VALID);
    assertThat(pending.reason()).isEqualTo(Conditions.VALIDATION_PENDING);
    assertThat(pending.message()).contains("rate limited").contains(T0.plusSeconds(30).toString());

    advance(failed.stored(), offer(FP2, "secret-2"), null, T0.plusSeconds(29));
    assertThat(tokens.calls).as("not before the server's delay").hasSize(1);

    tokens.answer(issued());
    CredentialLifecycle.Outcome promoted = advance(failed.stored(), offer(FP2, "secret-2"), null,
        T0.plusSeconds(30));
    assertThat(tokens.calls).hasSize(2);
    VersionLedger ledger = promoted.stored().ledger();
    assertThat(ledger.current()).map(CredentialVersion::fingerprint).contains(FP2);
    assertThat(ledger.find(FP1)).map(CredentialVersion::state).contains(VersionState.PREVIOUS);
    assertThat(promoted.token()).isPresent();
  }

  @Test
  void thePreviousVersionIsRetiredWhenItsGracePeriodEnds() {
    tokens.answer(issued());
    StoredVersions rotated = advance(servingFp1(), offer(FP2, "secret-2"), null, T0).stored();

    StoredVersions during = advance(rotated, offer(FP2, "secret-2"), null,
        T0.plus(GRACE).minusSeconds(1)).stored();
    StoredVersions after = advance(rotated, offer(FP2, "secret-2"), null, T0.plus(GRACE)).stored();

    assertThat(during.ledger().find(FP1)).map(CredentialVersion::state)
        .contains(VersionState.PREVIOUS);
    assertThat(during.hasValue(FP1)).isTrue();
    assertThat(after.ledger().find(FP1)).map(CredentialVersion::state)
        .contains(VersionState.RETIRED);
    assertThat(after.toData().keySet()).noneMatch(k -> k.contains("1".repeat(32)));
  }

  @Test
  void aReportedCompromiseWithdrawsTheCurrentVersionOnceAndRefusesItForever() {
    StoredVersions stored = servingFp1();

    CredentialLifecycle.Outcome reported = advance(stored, offer(FP1, "secret-1"), "leaked", T0);

    assertThat(reported.compromisedNow()).isTrue();
    assertThat(reported.stored().ledger().isCompromised(FP1)).isTrue();
    assertThat(reported.stored().ledger().current()).isEmpty();
    assertThat(reported.warnings()).singleElement().satisfies(w -> {
      assertThat(w.type()).isEqualTo(Conditions.CREDENTIAL_COMPROMISED);
      assertThat(w.status()).isTrue();
      assertThat(w.message()).contains(FP1).contains("leaked");
    });
    assertThat(condition(reported, Conditions.CREDENTIAL_VALID).reason())
        .isEqualTo(Conditions.COMPROMISED_OFFERED);
    assertThat(tokens.calls).isEmpty();

    // The annotation is still there at the next step: no second incident, no second withdrawal.
    CredentialLifecycle.Outcome again = advance(reported.stored(), offer(FP1, "secret-1"),
        "leaked", T0.plusSeconds(10));
    assertThat(again.compromisedNow()).isFalse();
    assertThat(again.warnings()).isEmpty();
    assertThat(again.stored().ledger().incidents()).hasSize(1);
    assertThat(condition(again, Conditions.CREDENTIAL_COMPROMISED).status()).isTrue();
    assertThat(condition(again, Conditions.CREDENTIAL_VALID).reason())
        .isEqualTo(Conditions.COMPROMISED_OFFERED);
    assertThat(tokens.calls).as("a compromised version is never tested").isEmpty();
  }

  @Test
  void withoutAnOfferTheStoredVersionsStandAndNothingIsAsked() {
    StoredVersions stored = servingFp1();

    CredentialLifecycle.Outcome outcome = advance(stored, Optional.empty(), null,
        T0.plus(Duration.ofDays(2)));

    assertThat(tokens.calls).isEmpty();
    assertThat(outcome.stored().ledger().current()).map(CredentialVersion::fingerprint)
        .contains(FP1);
    assertThat(condition(outcome, Conditions.CREDENTIAL_VALID).status()).isTrue();
  }

  private StoredVersions servingFp1() {
    tokens.answer(issued());
    StoredVersions stored = advance(StoredVersions.empty(), offer(FP1, "secret-1"), null,
        T0.minus(Duration.ofDays(1))).stored();
    tokens.calls.clear();
    assertThat(stored.ledger().current()).map(CredentialVersion::fingerprint).contains(FP1);
    return stored;
  }

  private CredentialLifecycle.Outcome advance(StoredVersions stored,
      Optional<CredentialLifecycle.Offer> offer, String compromisedReason, Instant now) {
    return lifecycle.advance(new CredentialLifecycle.Input(SUBJECT, stored, offer,
        compromisedReason, AUDIENCE, POLICY, crypto, now));
  }

  private static Optional<CredentialLifecycle.Offer> offer(String fingerprint, String secret) {
    return Optional.of(new CredentialLifecycle.Offer(fingerprint,
        new CredentialMaterial("id-1".toCharArray(), secret.toCharArray())));
  }

  private static TokenResult.Issued issued() {
    return new TokenResult.Issued("token".toCharArray(), "Bearer", "developer", T0,
        T0.plus(Duration.ofDays(1)));
  }

  private static ConditionUpdate condition(CredentialLifecycle.Outcome outcome, String type) {
    return outcome.conditions().stream().filter(c -> c.type().equals(type)).reduce((a, b) -> b)
        .orElseThrow();
  }

  /** Answers token requests from a script and records what was asked (never for real). */
  private static final class ScriptedTokens implements ReloadlyTokenClient {
    final List<String> calls = new ArrayList<>();
    private final Deque<TokenResult> answers = new ArrayDeque<>();

    void answer(TokenResult result) {
      answers.add(result);
    }

    @Override
    public TokenResult requestToken(char[] clientId, char[] clientSecret, String audience) {
      calls.add(new String(clientId) + ":" + new String(clientSecret) + "@" + audience);
      TokenResult next = answers.poll();
      if (next == null) {
        throw new AssertionError("unexpected token request");
      }
      return next;
    }
  }
}
