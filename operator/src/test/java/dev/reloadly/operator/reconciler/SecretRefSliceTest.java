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
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Clock;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The first vertical slice: secretRef source, credentials-mode target, against the CRUD server. */
class SecretRefSliceTest {
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(Clock.systemUTC());
    harness.simulator().allowCredential("id-1", "secret-1").allowCredential("id-2", "secret-2");
    harness.start();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void createWritesOwnedTargetSecretAndSetsReady() {
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(ready("shop")).map(Condition::getStatus).contains("True"));

    Secret target = harness.secret("shop-reloadly");
    assertThat(unb64(target.getData().get("client_id"))).isEqualTo("id-1");
    assertThat(unb64(target.getData().get("client_secret"))).isEqualTo("secret-1");
    assertThat(target.getMetadata().getLabels())
        .containsEntry(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .containsEntry(ApiLabels.CREDENTIAL, "shop");
    ReloadlyCredential credential = harness.credential("shop");
    assertThat(target.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(credential.getMetadata().getUid()));
    assertThat(credential.getStatus().getObservedGeneration())
        .isEqualTo(credential.getMetadata().getGeneration());
    assertThat(harness.secret("src").getMetadata().getLabels())
        .as("the operator never labels (or otherwise writes) the source")
        .doesNotContainKey(ApiLabels.SOURCE);
  }

  @Test
  void changeOfReferencedSecretIsFollowed() {
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.secret("shop-reloadly") != null);

    Secret source = harness.secret("src");
    harness.client().resource(new SecretBuilder(source)
        .withData(Map.of("client_id", b64("id-2"), "client_secret", b64("secret-2")))
        .build()).update();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(unb64(harness.secret("shop-reloadly").getData().get("client_secret")))
            .isEqualTo("secret-2"));
  }

  @Test
  void missingReferencedSecretGivesReadyFalseAndNoTarget() {
    harness.client().resource(secretRefCredential("shop", "absent", TargetMode.CREDENTIALS)).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(ready("shop")).map(Condition::getStatus).contains("False");
      assertThat(condition("shop", Conditions.SOURCE_READY)).map(Condition::getReason)
          .contains(Conditions.SECRET_NOT_FOUND);
    });
    assertThat(condition("shop", Conditions.SOURCE_READY).orElseThrow().getMessage())
        .contains("absent");
    assertThat(harness.secret("shop-reloadly")).isNull();
    assertThat(harness.server().writesTo("/namespaces/payments/secrets")).isZero();
  }

  @Test
  void missingKeyLeavesExistingTargetAsItWas() {
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.secret("shop-reloadly") != null);
    Secret before = harness.secret("shop-reloadly");

    harness.client().resource(new SecretBuilder(harness.secret("src"))
        .withData(Map.of("client_id", b64("id-1"))).build()).update();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(condition("shop", Conditions.SOURCE_READY)).map(Condition::getReason)
            .contains(Conditions.KEY_NOT_FOUND));
    assertThat(ready("shop")).map(Condition::getStatus).contains("False");
    assertThat(harness.secret("shop-reloadly").getData()).isEqualTo(before.getData());
  }

  @ParameterizedTest
  @EnumSource(TargetMode.class)
  void idleReconcileWritesNothing(TargetMode mode) {
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", mode)).create();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(ready("shop")).map(Condition::getStatus).contains("True"));
    harness.awaitSettled();
    harness.stop();
    int writesBefore = harness.server().writes().size();

    // A restart reconciles every credential again: it finds everything in place.
    harness.start();
    harness.assertReconciledWithoutWrites(0, writesBefore);

    // A touch of the source triggers one more reconcile, which writes nothing either.
    long reconciles = harness.reconciles();
    Secret source = harness.secret("src");
    source.getMetadata().getLabels().put("touched", "yes");
    harness.client().resource(source).update();
    harness.assertReconciledWithoutWrites(reconciles, writesBefore + 1);
    assertThat(harness.simulator().issuedTokens()).as("no token minted by an idle pass")
        .hasSize(1);
  }

  @Test
  void unownedSecretOfTargetNameIsNeverOverwritten() {
    harness.client().resource(new SecretBuilder()
        .withNewMetadata().withName("shop-reloadly").withNamespace(NAMESPACE).endMetadata()
        .withData(Map.of("app", b64("theirs"))).build()).create();
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(ready("shop")).map(Condition::getReason).contains(Conditions.TARGET_CONFLICT));
    assertThat(harness.secret("shop-reloadly").getData()).containsOnlyKeys("app");
  }

  @Test
  void renamedTargetIsWrittenAndTheOldOneDeleted() {
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.secret("shop-reloadly") != null);

    // A merge patch, as kubectl edit or Argo CD would send: a read-then-PUT here would race the
    // operator's own status write and fail with 409.
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop")
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"target\":{\"secretName\":\"shop-renamed\"}}}");

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(harness.secret("shop-renamed")).isNotNull();
      assertThat(harness.secret("shop-reloadly")).isNull();
    });
    assertThat(harness.secret("src")).as("the source is never deleted").isNotNull();
  }

  @Test
  void targetDeletedByHandIsWrittenAgain() {
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.secret("shop-reloadly") != null);

    harness.client().secrets().inNamespace(NAMESPACE).withName("shop-reloadly").delete();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(harness.secret("shop-reloadly")).isNotNull());
  }

  private Optional<Condition> ready(String name) {
    return condition(name, Conditions.READY);
  }

  private Optional<Condition> condition(String name, String type) {
    return harness.condition(name, type);
  }
}
