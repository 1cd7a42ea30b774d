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
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An old copy of the store Secret written back, or an edited ledger, is refused. */
class StoreRollbackTest {
  static final String ID = "client-5";
  static final String STORE = StoredVersions.secretName("shop");
  static final Duration WAIT = Duration.ofSeconds(30);

  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(Clock.systemUTC());
    harness.simulator().allowCredential(ID, "secret-1");
    harness.start();
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    await().atMost(WAIT).until(() -> servedVersion() != null);
    await().atMost(WAIT).until(() -> storeGeneration() != null);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void anOldCopyOfTheStoreWrittenBackIsRefusedAndTheTargetKeepsServing() {
    Map<String, String> oldStore = harness.secret(STORE).getData();
    long oldGeneration = storeGeneration();

    harness.simulator().rotateCredential(ID, "secret-2");
    updateSource("secret-2");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(unb64(harness.secret("shop-reloadly").getData().get("client_secret")))
          .isEqualTo("secret-2");
      assertThat(storeGeneration()).isGreaterThan(oldGeneration);
    });
    Map<String, String> target = harness.secret("shop-reloadly").getData();
    String served = servedVersion();

    writeStore(oldStore);

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.READY)).hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo(Conditions.FALSE);
          assertThat(c.getReason()).isEqualTo(Conditions.STORE_ROLLED_BACK);
          assertThat(c.getMessage()).contains("older than generation");
        }));
    assertThat(harness.secret("shop-reloadly").getData()).isEqualTo(target);
    assertThat(servedVersion()).isEqualTo(served);
    assertThat(harness.secret(STORE).getData()).isEqualTo(oldStore);
  }

  @Test
  void anEditedLedgerIsRefusedAndTheTargetKeepsServing() {
    Map<String, String> target = harness.secret("shop-reloadly").getData();
    Map<String, String> store = new HashMap<>(harness.secret(STORE).getData());
    String ledger = unb64(store.get("ledger.json"));
    // Turn the served version back into a pending one, to have it "validated" again.
    store.put("ledger.json", b64(ledger.replace("\"CURRENT\"", "\"PENDING\"")));

    writeStore(store);

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.READY)).hasValueSatisfying(c -> {
          assertThat(c.getReason()).isEqualTo(Conditions.STORE_ROLLED_BACK);
          assertThat(c.getMessage()).contains("fails its MAC");
        }));
    assertThat(harness.secret("shop-reloadly").getData()).isEqualTo(target);
    assertThat(harness.secret(STORE).getData()).isEqualTo(store);
  }

  @Test
  void aStrippedMacIsRefusedOnceStatusRecordsAGeneration() {
    Map<String, String> store = new HashMap<>(harness.secret(STORE).getData());
    store.remove("ledger.mac");
    store.remove("generation");

    writeStore(store);

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getReason)
            .contains(Conditions.STORE_ROLLED_BACK));
    assertThat(harness.secret(STORE).getData()).isEqualTo(store);
  }

  @Test
  void aStoreWrittenByThePreviousOperatorVersionLoadsOnceAndIsSigned() {
    harness.stop();
    Map<String, String> store = new HashMap<>(harness.secret(STORE).getData());
    store.remove("ledger.mac");
    store.remove("generation");
    writeStore(store);
    // The previous version kept no generation in status.
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop")
        .subresource("status").patch(PatchContext.of(PatchType.JSON),
            "[{\"op\":\"remove\",\"path\":\"/status/storeGeneration\"}]");
    String served = servedVersion();

    harness.start();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(harness.secret(STORE).getData()).containsKeys("ledger.mac", "generation");
      assertThat(storeGeneration()).isEqualTo(1L);
    });
    assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getStatus)
        .contains(Conditions.TRUE);
    assertThat(servedVersion()).isEqualTo(served);
  }

  private void writeStore(Map<String, String> data) {
    Secret current = harness.secret(STORE);
    harness.client().resource(new SecretBuilder(current).withData(data).build()).update();
  }

  private void updateSource(String secret) {
    harness.client().resource(new SecretBuilder(harness.secret("src"))
        .withData(Map.of("client_id", b64(ID), "client_secret", b64(secret))).build()).update();
  }

  private Long storeGeneration() {
    ReloadlyCredential credential = harness.credential("shop");
    return credential.getStatus() == null ? null : credential.getStatus().getStoreGeneration();
  }

  private String servedVersion() {
    Secret target = harness.secret("shop-reloadly");
    if (target == null || target.getMetadata().getAnnotations() == null) {
      return null;
    }
    return target.getMetadata().getAnnotations().get(ApiLabels.VERSION);
  }
}
