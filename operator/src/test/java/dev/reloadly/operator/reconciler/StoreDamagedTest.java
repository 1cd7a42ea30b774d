package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store Secret that cannot be parsed, or a stored value that cannot be decrypted: Ready=False
 * StoreDamaged, and the target keeps serving what it served.
 */
class StoreDamagedTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String STORE = "shop-reloadly-store";

  private final MutableClock clock = new MutableClock(Instant.now());
  private OperatorHarness harness;
  private Secret servedTarget;

  @BeforeEach
  void serve() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential("id-1", "secret-1");
    harness.start();
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getStatus)
            .contains("True"));
    harness.awaitSettled();
    servedTarget = harness.secret("shop-reloadly");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void storeThatCannotBeParsedIsReportedAndNothingIsWritten() {
    Map<String, String> damaged = new HashMap<>(harness.secret(STORE).getData());
    damaged.put("ledger.json", b64("{\"versions\": [ truncated"));
    replaceStoreData(damaged);

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getReason)
            .contains(Conditions.STORE_DAMAGED));
    Condition ready = harness.condition("shop", Conditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains(STORE).contains("nothing was changed");
    assertUntouched(damaged);
  }

  /**
   * Found by StoreFuzzTest: an entry that is not an envelope value parsed, and then every
   * reconcile threw reading the store's KEK ids; no condition said why.
   */
  @Test
  void storeEntryThatIsNotAnEncryptedValueIsReportedAndNothingIsWritten() {
    Map<String, String> damaged = new HashMap<>(harness.secret(STORE).getData());
    damaged.put("v-0123.client-id", b64("not an encrypted value"));
    replaceStoreData(damaged);

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getReason)
            .contains(Conditions.STORE_DAMAGED));
    Condition ready = harness.condition("shop", Conditions.READY).orElseThrow();
    assertThat(ready.getMessage()).contains(STORE).contains("v-0123.client-id")
        .contains("not an encrypted value").contains("nothing was changed");
    assertUntouched(damaged);
  }

  @Test
  void storeValueThatCannotBeDecryptedIsReportedAndTheTargetKeepsServing() {
    String current = servedTarget.getMetadata().getAnnotations().get(ApiLabels.VERSION);
    String prefix = "v-" + current.substring(current.indexOf(':') + 1) + ".";
    Map<String, String> damaged = new HashMap<>(harness.secret(STORE).getData());
    // The client ID's ciphertext under the client secret's name: its associated data no longer
    // matches, as after a copy from another credential or a lost KEK.
    damaged.put(prefix + "client-secret", damaged.get(prefix + "client-id"));
    replaceStoreData(damaged);
    // The source now offers a pair Reloadly rejects, so the current version must come from the
    // store.
    harness.client().resource(new SecretBuilder(harness.secret("src"))
        .withData(Map.of("client_id", b64("id-1"), "client_secret", b64("typo"))).build())
        .update();

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getReason)
            .contains(Conditions.STORE_DAMAGED));
    Condition ready = harness.condition("shop", Conditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains(STORE).contains(current)
        .contains("left as it was").doesNotContain("secret-1").doesNotContain("typo");
    assertThat(harness.secret("shop-reloadly").getData()).isEqualTo(servedTarget.getData());
    assertThat(harness.secret("shop-reloadly").getMetadata().getAnnotations())
        .containsEntry(ApiLabels.VERSION, current);
  }

  private void replaceStoreData(Map<String, String> data) {
    harness.client().resource(new SecretBuilder(harness.secret(STORE)).withData(data).build())
        .update();
  }

  /** The target serves what it served, the damaged store is not overwritten, and it stays so. */
  private void assertUntouched(Map<String, String> damagedStore) {
    long reconciles = harness.reconciles();
    int writes = harness.server().writes().size();
    Secret source = harness.secret("src");
    source.getMetadata().getLabels().put("touched", "yes");
    harness.client().resource(source).update();
    harness.assertReconciledWithoutWrites(reconciles, writes + 1);
    assertThat(harness.secret("shop-reloadly").getData()).isEqualTo(servedTarget.getData());
    assertThat(harness.secret(STORE).getData()).isEqualTo(damagedStore);
  }
}
