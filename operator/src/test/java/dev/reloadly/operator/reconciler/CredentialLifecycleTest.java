package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static dev.reloadly.operator.testing.CredentialFixtures.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.TokenPolicy;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import dev.reloadly.operator.token.RefreshSchedule;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Versions, validation, rotation, tokens and compromise, end to end on the CRUD server. The
 * operator and the simulator run on a clock the test moves: nothing depends on how fast the
 * machine is, only on the moments the test sets.
 */
class CredentialLifecycleTest {
  static final String ID = "client-7";
  static final Duration WAIT = Duration.ofSeconds(30);

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorHarness harness;
  private int touches;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential(ID, "secret-1");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void rotationEndToEnd() {
    harness.start();
    createCredential("shop", TargetMode.TOKEN, "1h");
    String first = awaitServedVersion("shop");
    clock.advance(Duration.ofMinutes(5));

    Instant promotedAt = clock.instant();
    harness.simulator().rotateCredential(ID, "secret-2");
    updateSource("secret-2");

    String second = await().atMost(WAIT).until(() -> servedVersion("shop"),
        v -> v != null && !v.equals(first));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(state("shop", first)).isEqualTo("previous");
      assertThat(state("shop", second)).isEqualTo("current");
    });
    assertThat(version("shop", first).getSupersededAt()).isEqualTo(promotedAt.toString());

    // A second before its 1h grace period ends, the previous version and its values stay.
    reconcileAt(promotedAt.plus(Duration.ofHours(1)).minusSeconds(1));
    assertThat(state("shop", first)).isEqualTo("previous");
    assertThat(harness.secret("shop-reloadly-store").getData().keySet())
        .anyMatch(k -> k.contains(hex(first)));

    // At the end of the grace period it is retired and its values leave the store.
    clock.set(promotedAt.plus(Duration.ofHours(1)));
    touchSource();
    await().atMost(WAIT).untilAsserted(() -> assertThat(state("shop", first)).isEqualTo("retired"));
    assertThat(harness.secret("shop-reloadly-store").getData().keySet())
        .noneMatch(k -> k.contains(hex(first)));
    assertThat(servedVersion("shop")).isEqualTo(second);
    assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getStatus)
        .contains("True");
  }

  @Test
  void invalidNewCredentialKeepsCurrentServing() {
    harness.start();
    createCredential("shop", TargetMode.TOKEN, "1h");
    String first = awaitServedVersion("shop");
    String tokenBefore = harness.secret("shop-reloadly").getData().get("access_token");

    updateSource("typo-in-the-new-secret");

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.CREDENTIAL_VALID))
            .map(Condition::getReason).contains(Conditions.INVALID_CREDENTIALS));
    assertThat(servedVersion("shop")).isEqualTo(first);
    assertThat(harness.secret("shop-reloadly").getData().get("access_token")).isEqualTo(tokenBefore);
    assertThat(harness.credential("shop").getStatus().getVersions())
        .as(() -> harness.client().getKubernetesSerialization().asYaml(harness.credential("shop").getStatus()))
        .extracting(CredentialVersionStatus::getState).containsExactly("pending", "current");
    assertThat(harness.condition("shop", Conditions.CREDENTIAL_VALID).orElseThrow().getMessage())
        .contains("INVALID_CREDENTIALS").contains(first + " keeps serving")
        .doesNotContain("typo-in-the-new-secret");
  }

  @Test
  void shortLivedTokenIsRefreshedBeforeItExpires() {
    harness.simulator().tokenLifetime(Duration.ofHours(1));
    harness.start();
    createCredential("shop", TargetMode.TOKEN, "1h");
    awaitServedVersion("shop");
    Instant issuedAt = clock.instant();
    Instant firstExpiry = expiresAt("shop");
    assertThat(firstExpiry).isEqualTo(issuedAt.plus(Duration.ofHours(1)));
    // The default refreshBefore is 33% of the lifetime, moved earlier by this credential's jitter.
    Instant refreshAt = RefreshSchedule.parse(TokenPolicy.DEFAULT_REFRESH_BEFORE)
        .refreshAt(issuedAt, firstExpiry, NAMESPACE + "/shop");
    assertThat(refreshAt).isBetween(issuedAt.plus(Duration.ofMinutes(38)),
        issuedAt.plus(Duration.ofMinutes(41)));

    // Just before the refresh moment a reconcile keeps the token and requeues for that moment.
    reconcileAt(refreshAt.minusSeconds(2));
    assertThat(expiresAt("shop")).isEqualTo(firstExpiry);
    assertThat(harness.simulator().issuedTokens()).hasSize(1);

    // Time reaches the refresh moment; the requeue alone, with no event, mints the new token.
    clock.set(refreshAt);
    Instant secondExpiry = await().atMost(WAIT).until(() -> expiresAt("shop"),
        e -> e.isAfter(firstExpiry));
    // The JWT's exp claim has whole seconds, and the earlier of exp and expires_in is trusted.
    assertThat(secondExpiry).isEqualTo(
        refreshAt.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
    assertThat(clock.instant()).as("refreshed before the first token expired")
        .isBefore(firstExpiry);
    assertThat(harness.simulator().issuedTokens()).hasSize(2);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.credential("shop").getStatus().getTokenExpiresAt())
            .isEqualTo(secondExpiry.toString()));
  }

  @Test
  void compromiseWithdrawsTokenAndNewVersionIsServedAtOnce() {
    harness.start();
    createCredential("shop", TargetMode.BOTH, "1h");
    String first = awaitServedVersion("shop");

    annotate("shop", ApiLabels.COMPROMISED, "token pasted in a public channel");

    await().atMost(WAIT).untilAsserted(() -> {
      Secret target = harness.secret("shop-reloadly");
      assertThat(target.getData()).doesNotContainKeys("access_token", "client_secret")
          .containsKey("base_url");
      assertThat(harness.condition("shop", Conditions.CREDENTIAL_COMPROMISED))
          .map(Condition::getStatus).contains("True");
    });
    ReloadlyCredential compromised = harness.credential("shop");
    assertThat(compromised.getStatus().getIncidents()).singleElement().satisfies(i -> {
      assertThat(i.getFingerprint()).isEqualTo(first);
      assertThat(i.getReason()).isEqualTo("token pasted in a public channel");
      assertThat(i.getResolvedAt()).isNull();
    });
    assertThat(state("shop", first)).isEqualTo("compromised");
    assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getReason)
        .contains(Conditions.NO_VALID_VERSION);

    harness.simulator().rotateCredential(ID, "secret-2");
    updateSource("secret-2");
    String second = await().atMost(WAIT).until(() -> servedVersion("shop"),
        v -> v != null && !v.equals(first));
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.credential("shop").getStatus().getIncidents()).singleElement()
            .satisfies(i -> assertThat(i.getResolvedAt()).isNotNull()));

    // Offered again, the compromised version is never served.
    harness.simulator().allowCredential(ID, "secret-1");
    updateSource("secret-1");
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.CREDENTIAL_VALID))
            .map(Condition::getReason).contains(Conditions.COMPROMISED_OFFERED));
    assertThat(servedVersion("shop")).isEqualTo(second);
  }

  @Test
  void rateLimitStormStaysWithinTheCapAndBacksOff() {
    harness.simulator().latency(Duration.ofMillis(100)).rateLimitNext(12, Duration.ofSeconds(1));
    OperatorConfig base = harness.config();
    harness.start(new OperatorConfig(base.namespace(), base.watchNamespaces(),
        base.reloadlyAuthUrl(), 0, 2, base.sealingKeyRenewal(), base.kekRotation()));
    List<String> names = List.of("a", "b", "c", "d", "e", "f");
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    for (String name : names) {
      harness.client().resource(secretRefCredential(name, "src", TargetMode.TOKEN)).create();
    }

    // Backoff waits pass in operator time: each poll moves the clock on by a second.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          clock.advance(Duration.ofSeconds(1));
          names.forEach(n -> assertThat(harness.condition(n, Conditions.READY))
              .map(Condition::getStatus).as(n).contains("True"));
        });
    // The simulator stops counting a request before its answer is written, so this cannot see
    // more than the operator's limiter lets through.
    assertThat(harness.simulator().maxInFlight()).isBetween(1, 2);
    assertThat(harness.runtime().limiter().inFlight()).isZero();
    assertThat(harness.simulator().issuedTokens()).as("one validation token per credential, served")
        .hasSize(names.size());
    // Each credential needs one validation; 429s cost retries, but backoff keeps them few.
    assertThat(harness.simulator().totalRequests()).isLessThan(6 + 12 + 12);
  }

  @Test
  void restartAfterEachStepResumesWithoutLosingOrDoublePromoting() {
    harness.start();
    createCredential("shop", TargetMode.TOKEN, "1h");
    String first = awaitServedVersion("shop");

    // Step 1: the new version is recorded as pending, but Reloadly cannot be reached.
    harness.simulator().failNext(1000, 503);
    harness.simulator().rotateCredential(ID, "secret-2");
    updateSource("secret-2");
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.credential("shop").getStatus().getVersions())
            .extracting(CredentialVersionStatus::getState).containsExactly("pending", "current"));
    String pendingCreatedAt = harness.credential("shop").getStatus().getVersions().get(0)
        .getCreatedAt();
    harness.stop();

    // Step 2: restarted with Reloadly back: the same pending version is promoted, once.
    harness.simulator().clearFaults();
    harness.start();
    String second = await().atMost(WAIT).until(() -> servedVersion("shop"),
        v -> v != null && !v.equals(first));
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.credential("shop").getStatus().getVersions())
            .extracting(CredentialVersionStatus::getState).containsExactly("current", "previous"));
    ReloadlyCredential promoted = harness.credential("shop");
    assertThat(promoted.getStatus().getVersions().get(0).getCreatedAt())
        .as("the pending version survived the restart").isEqualTo(pendingCreatedAt);
    String validatedAt = promoted.getStatus().getVersions().get(0).getValidatedAt();
    long requests = harness.simulator().requestsFor(ID);
    harness.awaitSettled();
    harness.stop();

    // Step 3: restarted after promotion: the restart's reconcile promotes, mints and writes
    // nothing.
    int writes = harness.server().writes().size();
    harness.start();
    harness.assertReconciledWithoutWrites(0, writes);
    ReloadlyCredential again = harness.credential("shop");
    assertThat(again.getStatus().getVersions().get(0).getValidatedAt()).isEqualTo(validatedAt);
    assertThat(again.getStatus().getVersions()).extracting(CredentialVersionStatus::getState)
        .containsExactly("current", "previous");
    assertThat(servedVersion("shop")).isEqualTo(second);
    assertThat(harness.simulator().requestsFor(ID)).isEqualTo(requests);
  }

  @Test
  void rotationBecomesDueThenOverdueOnScheduleWithoutAnyOtherEvent() {
    harness.start();
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.TOKEN);
    RotationPolicy rotation = new RotationPolicy();
    rotation.setMaxAge("6s");
    rotation.setRenewBefore("3s");
    credential.getSpec().setRotation(rotation);
    harness.client().resource(credential).create();
    String first = awaitServedVersion("shop");
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.ROTATION_DUE)).map(Condition::getStatus)
            .contains("False"));
    Instant createdAt = Instant.parse(version("shop", first).getCreatedAt());
    Instant dueAt = createdAt.plus(Duration.ofSeconds(3));
    assertThat(Instant.parse(harness.credential("shop").getStatus().getNextRotationAt()))
        .isEqualTo(dueAt);

    // Nothing changes in the cluster: the operator's own requeue (at most 3 s of wall time away,
    // and again after each pass) is what notices that the clock reached the due moment.
    clock.set(dueAt);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.ROTATION_DUE)).map(Condition::getStatus)
            .contains("True"));
    assertThat(harness.condition("shop", Conditions.ROTATION_OVERDUE)).map(Condition::getStatus)
        .contains("False");
    assertThat(Instant.parse(harness.credential("shop").getStatus().getNextRotationAt()))
        .as("nextRotationAt names the due moment").isEqualTo(dueAt);

    clock.set(createdAt.plus(Duration.ofSeconds(6)));
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.ROTATION_OVERDUE))
            .map(Condition::getStatus).contains("True"));
    assertThat(harness.client().v1().events().inNamespace(NAMESPACE).list().getItems())
        .anyMatch(e -> "Warning".equals(e.getType()) && Conditions.DUE.equals(e.getReason()))
        .anyMatch(e -> "Warning".equals(e.getType()) && Conditions.OVERDUE.equals(e.getReason()));
    assertThat(servedVersion("shop")).as("an overdue rotation keeps serving").isEqualTo(first);
  }

  @Test
  void refreshTokenAnnotationForcesANewTokenAndIsRemoved() {
    harness.start();
    createCredential("shop", TargetMode.TOKEN, "1h");
    awaitServedVersion("shop");
    String before = harness.secret("shop-reloadly").getData().get("access_token");
    long issued = harness.simulator().issuedTokens().size();
    clock.advance(Duration.ofMinutes(1));
    long reconciles = harness.reconciles();

    annotate("shop", ApiLabels.REFRESH_TOKEN, "please");

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(harness.secret("shop-reloadly").getData().get("access_token")).isNotEqualTo(before);
      assertThat(harness.credential("shop").getMetadata().getAnnotations())
          .doesNotContainKey(ApiLabels.REFRESH_TOKEN);
    });
    assertThat(expiresAt("shop")).as("the token minted a minute later is served")
        .isEqualTo(harness.simulator().issuedTokens().get((int) issued).expiresAt());
    // The forced pass, and the one the annotation's removal triggers, have both finished.
    harness.awaitReconcileAfter(reconciles + 1);
    harness.awaitSettled();
    int writes = harness.server().writes().size();
    long settled = harness.reconciles();
    touchSource();
    harness.assertReconciledWithoutWrites(settled, writes + 1);
    assertThat(harness.simulator().issuedTokens()).as("one forced refresh, then quiet")
        .hasSize((int) issued + 1);
  }

  private void createCredential(String name, TargetMode mode, String gracePeriod) {
    if (harness.secret("src") == null) {
      harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    }
    ReloadlyCredential credential = secretRefCredential(name, "src", mode);
    RotationPolicy rotation = new RotationPolicy();
    rotation.setGracePeriod(gracePeriod);
    credential.getSpec().setRotation(rotation);
    harness.client().resource(credential).create();
  }

  private void updateSource(String secret) {
    harness.client().resource(new SecretBuilder(harness.secret("src"))
        .withData(Map.of("client_id", b64(ID), "client_secret", b64(secret))).build()).update();
  }

  /** Changes only a label of the source Secret: the operator reconciles, with nothing to do. */
  private long touchSource() {
    long before = harness.reconciles();
    Secret source = harness.secret("src");
    source.getMetadata().getLabels().put("touched", Integer.toString(++touches));
    harness.client().resource(source).update();
    return before;
  }

  /**
   * Sets the clock and waits for a reconcile that started no earlier: only for checks that
   * nothing happens yet, since a pass that read an earlier time would show the same.
   */
  private void reconcileAt(Instant when) {
    clock.set(when);
    harness.awaitReconcileAfter(touchSource());
  }

  private Instant expiresAt(String name) {
    return Instant.parse(unb64(harness.secret(name + "-reloadly").getData().get("expires_at")));
  }

  private CredentialVersionStatus version(String name, String fingerprint) {
    return harness.credential(name).getStatus().getVersions().stream()
        .filter(v -> v.getFingerprint().equals(fingerprint)).findFirst().orElseThrow();
  }

  private static String hex(String fingerprint) {
    return fingerprint.substring(fingerprint.indexOf(':') + 1);
  }

  private void annotate(String name, String key, String value) {
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  private String awaitServedVersion(String name) {
    return await().atMost(WAIT).until(() -> servedVersion(name), v -> v != null);
  }

  private String servedVersion(String name) {
    Secret target = harness.secret(name + "-reloadly");
    if (target == null || target.getMetadata().getAnnotations() == null) {
      return null;
    }
    return target.getMetadata().getAnnotations().get(ApiLabels.VERSION);
  }

  private String state(String name, String fingerprint) {
    return harness.credential(name).getStatus().getVersions().stream()
        .filter(v -> v.getFingerprint().equals(fingerprint))
        .map(CredentialVersionStatus::getState).findFirst().orElse("absent");
  }
}
