package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.lifecycle.TokenRequester;
import dev.reloadly.operator.lifecycle.ValidationBackoff;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.target.OwnedSecretWriter;
import dev.reloadly.operator.token.Backoff;
import dev.reloadly.operator.token.TokenResult;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Serving, without a server: what goes into the target and what comes back for status. */
class TargetServingTest {
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  static final String FP = "hmac-sha256:00112233445566778899aabbccddeeff";

  private final ReloadlyCredential credential = credential(TargetMode.BOTH);
  private final FakeTargets targets = new FakeTargets();
  private final Deque<TokenResult> answers = new ArrayDeque<>();
  private int requests;
  private final KekRing keks = KekRing.generate(NOW, new SecureRandom());

  @Test
  void servesCredentialsAndMintsATokenWhenNoneIsServed() {
    answers.add(issued("tok-1", NOW, NOW.plus(Duration.ofHours(24))));

    TargetServing.Served served = serve(storedCurrent(keks), NOW);

    Secret target = targets.target().orElseThrow();
    assertThat(text(target, "access_token")).isEqualTo("tok-1");
    assertThat(text(target, "client_secret")).isEqualTo("secret-1");
    assertThat(target.getMetadata().getAnnotations()).containsEntry(ApiLabels.VERSION, FP);
    assertThat(served.conditions()).contains(
        new ConditionUpdate(Conditions.TOKEN_READY, true, Conditions.TOKEN_VALID,
            "bearer token valid until " + NOW.plus(Duration.ofHours(24))));
    assertThat(ready(served)).isEqualTo(Conditions.RECONCILED);
    assertThat(served.tokenExpiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)).toString());
    assertThat(served.nextDue()).get().matches(t -> t.isAfter(NOW)
        && t.isBefore(NOW.plus(Duration.ofHours(24))));
  }

  @Test
  void keepsAServedTokenThatIsNotDueWithoutAskingReloadly() {
    answers.add(issued("tok-1", NOW, NOW.plus(Duration.ofHours(24))));
    serve(storedCurrent(keks), NOW);
    int writes = targets.writes;

    TargetServing.Served served = serve(storedCurrent(keks), NOW.plus(Duration.ofMinutes(5)));

    assertThat(requests).isEqualTo(1);
    assertThat(targets.writes).as("nothing changed, nothing written").isEqualTo(writes);
    assertThat(text(targets.target().orElseThrow(), "access_token")).isEqualTo("tok-1");
    assertThat(served.conditions()).extracting(ConditionUpdate::reason)
        .contains(Conditions.TOKEN_VALID, Conditions.RECONCILED);
  }

  @Test
  void aTransientFailureKeepsTheServedTokenAndSaysWhenItRetries() {
    answers.add(issued("tok-1", NOW, NOW.plus(Duration.ofHours(1))));
    serve(storedCurrent(keks), NOW);
    answers.add(new TokenResult.RetryLater(Duration.ofSeconds(30), "HTTP 503"));

    Instant later = NOW.plus(Duration.ofMinutes(59));
    TargetServing.Served served = serve(storedCurrent(keks), later);

    assertThat(text(targets.target().orElseThrow(), "access_token")).isEqualTo("tok-1");
    ConditionUpdate token = condition(served, Conditions.TOKEN_READY);
    assertThat(token.status()).as("the served token is still valid").isTrue();
    assertThat(token.reason()).isEqualTo(Conditions.TOKEN_REQUEST_FAILED);
    assertThat(token.message()).contains("HTTP 503");
    assertThat(served.nextDue()).get().matches(t -> !t.isBefore(later.plusSeconds(30)));
  }

  @Test
  void aNewVersionWithoutItsTokenLeavesTheTargetOnTheVersionItServes() {
    answers.add(issued("tok-1", NOW, NOW.plus(Duration.ofHours(24))));
    serve(storedCurrent(keks), NOW);
    Secret before = targets.target().orElseThrow();
    // FP2 promoted, but the token minted while testing it is gone (the operator restarted) and
    // Reloadly answers 429 now.
    String fp2 = "hmac-sha256:ffeeddccbbaa99887766554433221100";
    StoredVersions promoted = storedCurrent(keks);
    promoted = promoted.withLedger(promoted.ledger().offer(fp2, NOW).promote(fp2, NOW))
        .withValue(fp2, new CredentialMaterial("client-1".toCharArray(),
            "secret-2".toCharArray()), crypto(keks));
    answers.add(new TokenResult.RetryLater(Duration.ofSeconds(30), "HTTP 429", true));

    TargetServing.Served served = serve(promoted, NOW.plusSeconds(10));

    assertThat(targets.target()).as("the target keeps version FP and its token").contains(before);
    assertThat(served.heldBack()).isTrue();
    assertThat(ready(served)).isEqualTo(Conditions.TOKEN_REQUEST_FAILED);
    assertThat(served.tokenExpiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)).toString());
    assertThat(served.nextDue()).get().matches(t -> !t.isBefore(NOW.plusSeconds(40)));

    answers.add(issued("tok-2", NOW.plusSeconds(60), NOW.plus(Duration.ofHours(25))));
    served = serve(promoted, NOW.plusSeconds(60));

    assertThat(targets.target().orElseThrow().getMetadata().getAnnotations())
        .containsEntry(ApiLabels.VERSION, fp2);
    assertThat(text(targets.target().orElseThrow(), "access_token")).isEqualTo("tok-2");
    assertThat(served.heldBack()).isFalse();
  }

  @Test
  void aStoreThatCannotBeOpenedLeavesTheTargetAsItWas() {
    answers.add(issued("tok-1", NOW, NOW.plus(Duration.ofHours(24))));
    serve(storedCurrent(keks), NOW);
    int writes = targets.writes;
    // The same version stored under a KEK this operator does not hold.
    StoredVersions foreign = storedCurrent(KekRing.generate(NOW, new SecureRandom()));

    TargetServing.Served served = serve(foreign, NOW.plusSeconds(10));

    assertThat(targets.writes).isEqualTo(writes);
    assertThat(ready(served)).isEqualTo(Conditions.STORE_DAMAGED);
    assertThat(served.tokenExpiresAt()).as("still what the target serves")
        .isEqualTo(NOW.plus(Duration.ofHours(24)).toString());
  }

  @Test
  void aTargetSomeoneElseOwnsIsReportedAndLeftAlone() {
    targets.conflict = true;
    answers.add(issued("tok-1", NOW, NOW.plus(Duration.ofHours(24))));

    TargetServing.Served served = serve(storedCurrent(keks), NOW);

    assertThat(targets.target()).isEmpty();
    assertThat(ready(served)).isEqualTo(Conditions.TARGET_CONFLICT);
  }

  @Test
  void aCompromiseWithNothingToServeLeavesOnlyTheEndpoint() {
    answers.add(issued("tok-1", NOW, NOW.plus(Duration.ofHours(24))));
    serve(storedCurrent(keks), NOW);
    StoredVersions compromised = storedCurrent(keks).withLedger(
        storedCurrent(keks).ledger().compromise("leaked", "token", NOW.plusSeconds(5)));

    TargetServing.Served served = serve(compromised, NOW.plusSeconds(5));

    Secret target = targets.target().orElseThrow();
    assertThat(target.getData()).containsOnlyKeys("audience", "base_url");
    assertThat(target.getMetadata().getAnnotations()).doesNotContainKey(ApiLabels.VERSION);
    assertThat(condition(served, Conditions.TOKEN_READY).reason())
        .isEqualTo(Conditions.TOKEN_WITHDRAWN);
    assertThat(ready(served)).isEqualTo(Conditions.NO_VALID_VERSION);
    assertThat(served.tokenExpiresAt()).isNull();
  }

  @Test
  void aForcedRefreshMintsEvenWhenNotDueAndIsAnswered() {
    answers.add(issued("tok-1", NOW, NOW.plus(Duration.ofHours(24))));
    serve(storedCurrent(keks), NOW);
    credential.getMetadata().setAnnotations(Map.of(ApiLabels.REFRESH_TOKEN, "now"));
    answers.add(issued("tok-2", NOW.plusSeconds(60), NOW.plus(Duration.ofHours(25))));

    TargetServing.Served served = serve(storedCurrent(keks), NOW.plusSeconds(60));

    assertThat(text(targets.target().orElseThrow(), "access_token")).isEqualTo("tok-2");
    assertThat(served.forcedRefreshAnswered()).isTrue();
  }

  @Test
  void credentialsModeWritesNoTokenAndAsksForNone() {
    ReloadlyCredential credentialsOnly = credential(TargetMode.CREDENTIALS);

    TargetServing.Served served = new TargetServing(new TokenServing(requester()))
        .serve(input(credentialsOnly, storedCurrent(keks), NOW));

    assertThat(requests).isZero();
    assertThat(targets.target().orElseThrow().getData()).containsKeys("client_id",
        "client_secret").doesNotContainKey("access_token");
    assertThat(ready(served)).isEqualTo(Conditions.RECONCILED);
  }

  private TargetServing.Served serve(StoredVersions stored, Instant now) {
    return new TargetServing(new TokenServing(requester())).serve(input(credential, stored, now));
  }

  private TokenRequester requester() {
    return new TokenRequester((id, secret, audience) -> {
      requests++;
      return answers.remove();
    }, new ValidationBackoff(Backoff.defaults()));
  }

  private TargetServing.Input input(ReloadlyCredential c, StoredVersions stored, Instant now) {
    return new TargetServing.Input(c, targets, stored, Optional.empty(), Optional.empty(),
        CredentialPolicy.of(c.getSpec()), crypto(keks), true, now);
  }

  private StoredVersions storedCurrent(KekRing ring) {
    VersionLedger ledger = VersionLedger.empty().offer(FP, NOW).promote(FP, NOW);
    return StoredVersions.empty().withLedger(ledger).withValue(FP,
        new CredentialMaterial("client-1".toCharArray(), "secret-1".toCharArray()), crypto(ring));
  }

  private static StoredVersions.Crypto crypto(KekRing ring) {
    return new StoredVersions.Crypto(new StoredVersions.Binding("payments", "shop", "uid-1"),
        new EnvelopeCipher(), ring);
  }

  private static ReloadlyCredential credential(TargetMode mode) {
    ReloadlyCredential c = secretRefCredential("shop", "src", mode);
    c.getMetadata().setUid("uid-1");
    return c;
  }

  private static TokenResult.Issued issued(String token, Instant at, Instant expires) {
    return new TokenResult.Issued(token.toCharArray(), "Bearer", null, at, expires);
  }

  private static ConditionUpdate condition(TargetServing.Served served, String type) {
    return served.conditions().stream().filter(c -> c.type().equals(type)).findFirst()
        .orElseThrow();
  }

  private static String ready(TargetServing.Served served) {
    return condition(served, Conditions.READY).reason();
  }

  private static String text(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)));
  }

  /** The target in memory, written the way OwnedSecretWriter does: only on a difference. */
  private static final class FakeTargets implements TargetSecrets {
    private Secret target;
    private boolean conflict;
    private int writes;

    @Override
    public String targetName() {
      return "shop-reloadly";
    }

    @Override
    public String storeName() {
      return "shop-reloadly-store";
    }

    @Override
    public Optional<Secret> target() {
      return Optional.ofNullable(target);
    }

    @Override
    public OwnedSecretWriter.Outcome writeTarget(Map<String, String> annotations,
        Map<String, String> data) {
      if (conflict) {
        return OwnedSecretWriter.Outcome.CONFLICT;
      }
      Map<String, String> merged = new HashMap<>(target == null ? Map.of()
          : target.getMetadata().getAnnotations());
      annotations.forEach((k, v) -> {
        if (v == null) {
          merged.remove(k);
        } else {
          merged.put(k, v);
        }
      });
      if (target != null && merged.equals(target.getMetadata().getAnnotations())
          && data.equals(target.getData())) {
        return OwnedSecretWriter.Outcome.UNCHANGED;
      }
      writes++;
      target = new SecretBuilder().withNewMetadata().withName(targetName())
          .withAnnotations(merged).endMetadata().withData(data).build();
      return OwnedSecretWriter.Outcome.UPDATED;
    }

    @Override
    public void deleteStaleTargets() {}
  }
}
