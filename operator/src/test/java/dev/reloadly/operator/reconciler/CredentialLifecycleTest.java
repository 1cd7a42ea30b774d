package dev.reloadly.operator.reconciler;

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
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Versions, validation, rotation, tokens and compromise, end to end on the CRUD server. */
class CredentialLifecycleTest {
  static final String ID = "client-7";
  static final Duration WAIT = Duration.ofSeconds(30);

  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(Clock.systemUTC());
    harness.simulator().allowCredential(ID, "secret-1");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void rotationEndToEnd() {
    harness.start();
    createCredential("shop", TargetMode.TOKEN, "2s");
    String first = awaitServedVersion("shop");

    harness.simulator().rotateCredential(ID, "secret-2");
    updateSource("secret-2");

    String second = await().atMost(WAIT).until(() -> servedVersion("shop"),
        v -> v != null && !v.equals(first));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(state("shop", first)).isIn("previous", "retired");
      assertThat(state("shop", second)).isEqualTo("current");
    });
    // The previous version is retired once its 2s grace period ends.
    await().atMost(WAIT).untilAsserted(() -> assertThat(state("shop", first)).isEqualTo("retired"));
    assertThat(harness.secret("shop-reloadly-store").getData().keySet())
        .noneMatch(k -> k.contains(first.substring(first.indexOf(':') + 1)));
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
    harness.simulator().tokenLifetime(Duration.ofSeconds(5));
    harness.start();
    createCredential("shop", TargetMode.TOKEN, "1h");
    awaitServedVersion("shop");
    Instant firstExpiry = Instant.parse(unb64(harness.secret("shop-reloadly").getData()
        .get("expires_at")));

    Instant secondExpiry = await().atMost(Duration.ofSeconds(10)).until(
        () -> Instant.parse(unb64(harness.secret("shop-reloadly").getData().get("expires_at"))),
        e -> e.isAfter(firstExpiry));
    assertThat(Instant.now()).as("refreshed before the first token expired")
        .isBefore(firstExpiry);
    assertThat(secondExpiry).isAfter(firstExpiry);
    assertThat(harness.credential("shop").getStatus().getTokenExpiresAt()).isNotNull();
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

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> names.forEach(n ->
        assertThat(harness.credential(n).getStatus().getConditions())
            .anyMatch(c -> c.getType().equals(Conditions.READY) && c.getStatus().equals("True"))));
    assertThat(harness.simulator().maxInFlight()).isLessThanOrEqualTo(2);
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
    harness.stop();

    // Step 3: restarted after promotion: nothing is promoted or minted again.
    harness.start();
    await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> {
      ReloadlyCredential again = harness.credential("shop");
      assertThat(again.getStatus().getVersions().get(0).getValidatedAt()).isEqualTo(validatedAt);
      assertThat(servedVersion("shop")).isEqualTo(second);
    });
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
    awaitServedVersion("shop");
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.ROTATION_DUE)).map(Condition::getStatus)
            .contains("False"));
    Instant nextRotation = Instant.parse(harness.credential("shop").getStatus().getNextRotationAt());

    // Nothing changes in the cluster: only the requeue at the due moment can flip these.
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.ROTATION_DUE)).map(Condition::getStatus)
            .contains("True"));
    assertThat(Instant.now()).isAfterOrEqualTo(nextRotation);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.ROTATION_OVERDUE))
            .map(Condition::getStatus).contains("True"));
    assertThat(harness.client().v1().events().inNamespace("payments").list().getItems())
        .anyMatch(e -> "Warning".equals(e.getType()) && Conditions.DUE.equals(e.getReason()))
        .anyMatch(e -> "Warning".equals(e.getType()) && Conditions.OVERDUE.equals(e.getReason()));
  }

  @Test
  void refreshTokenAnnotationForcesANewTokenAndIsRemoved() {
    harness.start();
    createCredential("shop", TargetMode.TOKEN, "1h");
    awaitServedVersion("shop");
    String before = harness.secret("shop-reloadly").getData().get("access_token");
    long issued = harness.simulator().issuedTokens().size();

    annotate("shop", ApiLabels.REFRESH_TOKEN, "please");

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(harness.secret("shop-reloadly").getData().get("access_token")).isNotEqualTo(before);
      assertThat(harness.credential("shop").getMetadata().getAnnotations())
          .doesNotContainKey(ApiLabels.REFRESH_TOKEN);
    });
    long writes = harness.server().writes().size();
    await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() ->
        assertThat(harness.server().writes()).as("one forced refresh, then quiet")
            .hasSize((int) writes));
    assertThat(harness.simulator().issuedTokens()).hasSize((int) issued + 1);
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

  private void annotate(String name, String key, String value) {
    harness.client().resources(ReloadlyCredential.class).inNamespace("payments").withName(name)
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
