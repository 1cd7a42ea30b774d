package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.seal;
import static dev.reloadly.operator.testing.CredentialFixtures.sealedCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sealed sources against the CRUD server: open, store encrypted, refuse what does not open. */
class SealedSourceTest {
  static final String CANARY_ID = "CANARY-id-4b1d";
  static final String CANARY_SECRET = "CANARY-s3cr3t-7f1e";

  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(Clock.systemUTC());
    harness.simulator().allowCredential(CANARY_ID, CANARY_SECRET);
    harness.start();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void sealedCredentialServesTokenAndStoreHoldsNoPlaintext() {
    harness.client().resource(sealedCredential("shop",
        seal(harness.client(), "shop", SealingScope.CLIENT_ID, CANARY_ID),
        seal(harness.client(), "shop", SealingScope.CLIENT_SECRET, CANARY_SECRET),
        TargetMode.TOKEN)).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getStatus)
            .contains("True"));

    Secret target = harness.secret("shop-reloadly");
    assertThat(target.getData()).containsKeys("access_token", "token_type", "expires_at",
        "audience", "base_url").doesNotContainKeys("client_id", "client_secret");
    assertThat(unb64(target.getData().get("base_url")))
        .isEqualTo("https://topups-sandbox.reloadly.com");
    assertThat(harness.simulator().issuedTokens()).isNotEmpty();

    Secret store = harness.secret("shop-reloadly-store");
    assertThat(store).isNotNull();
    String everything = String.join("\n", store.getData().keySet()) + "\n"
        + String.join("\n", store.getData().values()) + "\n"
        + store.getData().values().stream()
            .map(v -> new String(Base64.getDecoder().decode(v))).reduce("", String::concat);
    assertThat(everything).doesNotContain(CANARY_SECRET).doesNotContain(CANARY_ID);
    assertThat(store.getData().values()).anyMatch(v -> unb64(v).startsWith("rlenv:v1:"));

    ReloadlyCredential credential = harness.credential("shop");
    assertThat(credential.getStatus().getSealingKey().getNewest()).isTrue();
    assertThat(credential.getStatus().getVersions()).singleElement()
        .satisfies(v -> assertThat(v.getState()).isEqualTo("current"));
    assertThat(credential.getStatus().getTokenExpiresAt()).isNotBlank();
    String statusYaml = harness.client().getKubernetesSerialization().asYaml(credential);
    assertThat(statusYaml).doesNotContain(CANARY_SECRET);
    harness.simulator().issuedTokens().forEach(t ->
        assertThat(statusYaml).doesNotContain(t.accessToken()));
  }

  @Test
  void valueSealedForAnotherCredentialIsRefusedAndTargetKept() {
    harness.client().resource(sealedCredential("shop",
        seal(harness.client(), "shop", SealingScope.CLIENT_ID, CANARY_ID),
        seal(harness.client(), "shop", SealingScope.CLIENT_SECRET, CANARY_SECRET),
        TargetMode.CREDENTIALS)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.secret("shop-reloadly") != null);
    Secret before = harness.secret("shop-reloadly");

    // Replay: a secret sealed for credential "other" pasted into "shop".
    // edit() patches the difference: a read-then-PUT would race the operator's status write.
    String replayed = seal(harness.client(), "other", SealingScope.CLIENT_SECRET,
        "replayed-secret");
    harness.client().resources(ReloadlyCredential.class).inNamespace(harness.credential("shop")
        .getMetadata().getNamespace()).withName("shop").edit(c -> {
          c.getSpec().getSource().getSealed().setClientSecret(replayed);
          return c;
        });

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.SOURCE_READY))
            .map(Condition::getReason).contains(Conditions.DECRYPTION_FAILED));
    Condition source = harness.condition("shop", Conditions.SOURCE_READY).orElseThrow();
    assertThat(source.getMessage()).contains("spec.source.sealed.clientSecret")
        .contains("another namespace, credential name or field")
        .doesNotContain("replayed-secret");
    assertThat(harness.secret("shop-reloadly").getData()).isEqualTo(before.getData());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<Event> events = harness.client().v1().events().inNamespace(NAMESPACE).list().getItems();
      assertThat(events).anyMatch(e -> "Warning".equals(e.getType())
          && Conditions.SOURCE_NOT_READY.equals(e.getReason()));
    });
  }

  @Test
  void truncatedSealedValueIsRefusedWithoutRetryLoop() {
    String sealedId = seal(harness.client(), "shop", SealingScope.CLIENT_ID, CANARY_ID);
    harness.client().resource(sealedCredential("shop", sealedId,
        sealedId.substring(0, 20), TargetMode.CREDENTIALS)).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.SOURCE_READY))
            .map(Condition::getReason).contains(Conditions.DECRYPTION_FAILED));
    assertThat(harness.secret("shop-reloadly")).isNull();
    // The reconcile that refused it has finished; no other follows, and nothing more is written.
    harness.awaitReconcileAfter(0);
    long reconciles = harness.reconciles();
    int writes = harness.server().writes().size();
    await().during(OperatorHarness.QUIET).atMost(OperatorHarness.QUIET.multipliedBy(3))
        .untilAsserted(() -> {
          assertThat(harness.reconciles()).as("no retry loop").isEqualTo(reconciles);
          assertThat(harness.server().writes()).as("no status writes or events")
              .hasSize(writes);
        });
  }
}
