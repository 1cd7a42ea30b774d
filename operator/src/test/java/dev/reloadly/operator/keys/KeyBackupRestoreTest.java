package dev.reloadly.operator.keys;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.seal;
import static dev.reloadly.operator.testing.CredentialFixtures.sealedCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.SealedSource;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The backup and restore of docs/crypto.md ("Backing up the operator's keys"): the key Secret,
 * exported without its cluster-specific metadata, opens the stores and sealed values of the
 * cluster it came from.
 */
class KeyBackupRestoreTest {
  static final String ID = "CANARY-id-backup";
  static final String SECRET = "CANARY-s3cr3t-backup";
  static final String NAME = "shop";
  static final String TARGET = NAME + "-reloadly";

  @Test
  void restoredKeySecretOpensTheStoreAndServesTheStoredVersionWithoutValidating() {
    try (OperatorHarness cluster = new OperatorHarness(Clock.systemUTC())) {
      cluster.simulator().allowCredential(ID, SECRET);
      cluster.start();
      createSealedCredential(cluster);
      awaitReady(cluster);
      String servedVersion = cluster.secret(TARGET).getMetadata().getAnnotations()
          .get(ApiLabels.VERSION);
      Secret backup = forBackup(keySecret(cluster));

      // The keys are lost (say the operator namespace was deleted) while credentials and their
      // stores survive; the target goes too, so serving has to open the store again.
      cluster.stop();
      loseKeysAndTarget(cluster);
      cluster.simulator().resetCounters();
      // Restore before the operator starts, or it generates new keys that open nothing.
      cluster.client().resource(backup).create();
      cluster.start();

      awaitReady(cluster);
      Secret target = cluster.secret(TARGET);
      assertThat(unb64(target.getData().get("client_id"))).isEqualTo(ID);
      assertThat(unb64(target.getData().get("client_secret"))).isEqualTo(SECRET);
      assertThat(target.getMetadata().getAnnotations())
          .containsEntry(ApiLabels.VERSION, servedVersion);
      // The stored version was served as validated before: Reloadly was not asked again.
      assertThat(cluster.simulator().requestsFor(ID)).isZero();
      assertThat(keySecret(cluster).getData()).isEqualTo(backup.getData());
    }
  }

  @Test
  void withoutABackupStoresNoLongerOpenUntilResealedAndRebuilt() {
    try (OperatorHarness cluster = new OperatorHarness(Clock.systemUTC())) {
      cluster.simulator().allowCredential(ID, SECRET);
      cluster.start();
      createSealedCredential(cluster);
      awaitReady(cluster);

      cluster.stop();
      loseKeysAndTarget(cluster);
      cluster.start();

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(cluster.condition(NAME, Conditions.READY)).map(Condition::getStatus)
              .contains(Conditions.FALSE));
      // New keys were generated: the store's values were wrapped under a KEK that is gone.
      assertThat(cluster.condition(NAME, Conditions.READY)).map(Condition::getReason)
          .contains(Conditions.STORE_DAMAGED);
      assertThat(cluster.secret(TARGET)).isNull();

      // The documented recovery: seal the values again to the new key, delete the store.
      SealedSource resealed = new SealedSource(
          seal(cluster.client(), NAME, SealingScope.CLIENT_ID, ID),
          seal(cluster.client(), NAME, SealingScope.CLIENT_SECRET, SECRET));
      // edit() patches the difference: a read-then-PUT would race the operator's status write.
      cluster.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName(NAME)
          .edit(c -> {
            c.getSpec().getSource().setSealed(resealed);
            return c;
          });
      cluster.client().secrets().inNamespace(NAMESPACE)
          .withName(StoredVersions.secretName(NAME)).delete();
      awaitReady(cluster);
      assertThat(unb64(cluster.secret(TARGET).getData().get("client_secret"))).isEqualTo(SECRET);
    }
  }

  @Test
  void onANewClusterTheRestoredKeysOpenTheSealedValuesInGit() {
    Secret backup;
    String sealedId;
    String sealedSecret;
    try (OperatorHarness original = new OperatorHarness(Clock.systemUTC())) {
      original.start();
      sealedId = seal(original.client(), NAME, SealingScope.CLIENT_ID, ID);
      sealedSecret = seal(original.client(), NAME, SealingScope.CLIENT_SECRET, SECRET);
      backup = forBackup(original.client().secrets()
          .inNamespace(OperatorHarness.OPERATOR_NAMESPACE).withName(OperatorKeyStore.SECRET).get());
    }

    try (OperatorHarness newCluster = new OperatorHarness(Clock.systemUTC())) {
      newCluster.simulator().allowCredential(ID, SECRET);
      newCluster.client().resource(backup).create();
      newCluster.start();
      newCluster.client().resource(sealedCredential(NAME, sealedId, sealedSecret,
          TargetMode.CREDENTIALS)).create();

      awaitReady(newCluster);
      assertThat(unb64(newCluster.secret(TARGET).getData().get("client_secret")))
          .isEqualTo(SECRET);
      // The store was bound to the old credential's uid: here the source is validated afresh.
      assertThat(newCluster.simulator().requestsFor(ID)).isPositive();
    }
  }

  private static void createSealedCredential(OperatorHarness cluster) {
    cluster.client().resource(sealedCredential(NAME,
        seal(cluster.client(), NAME, SealingScope.CLIENT_ID, ID),
        seal(cluster.client(), NAME, SealingScope.CLIENT_SECRET, SECRET),
        TargetMode.CREDENTIALS)).create();
  }

  private static Secret keySecret(OperatorHarness cluster) {
    return cluster.client().secrets().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.SECRET).get();
  }

  private static void loseKeysAndTarget(OperatorHarness cluster) {
    cluster.client().secrets().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.SECRET).delete();
    cluster.client().configMaps().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.CONFIG_MAP).delete();
    cluster.client().secrets().inNamespace(NAMESPACE).withName(TARGET).delete();
  }

  /**
   * What the documented export keeps: name, namespace, type and data. uid, resourceVersion,
   * managedFields, ownerReferences and the rotate-kek annotation belong to the old cluster.
   */
  static Secret forBackup(Secret secret) {
    return new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(secret.getMetadata().getName())
            .withNamespace(secret.getMetadata().getNamespace()).build())
        .withType(secret.getType())
        .withData(secret.getData())
        .build();
  }

  private static void awaitReady(OperatorHarness harness) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(harness.condition(NAME, Conditions.READY)).as(() -> String.valueOf(
                harness.credential(NAME) == null ? null : harness.credential(NAME).getStatus()))
            .map(Condition::getStatus).contains(Conditions.TRUE));
  }
}
