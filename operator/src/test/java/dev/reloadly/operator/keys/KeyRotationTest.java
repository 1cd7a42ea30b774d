package dev.reloadly.operator.keys;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.seal;
import static dev.reloadly.operator.testing.CredentialFixtures.sealedCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static dev.reloadly.operator.testing.CredentialFixtures.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.SealingKeyStatus;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.EncryptedValue;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.SealingKey;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Key maintenance against the CRUD server: a KEK rotation stopped half-way and resumed after a
 * restart, and a sealing key renewal, lose no stored or sealed value.
 */
class KeyRotationTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final List<String> NAMES = List.of("alpha", "bravo", "charlie");

  private OperatorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void kekRotationInterruptedHalfWayThenResumedLosesNothing() {
    MutableClock clock = new MutableClock(Instant.now());
    harness = new OperatorHarness(clock);
    startWithServedCredentials();

    String oldKek = harness.runtime().keys().get().keks().active().keyId();
    assertThat(NAMES).allSatisfy(n -> assertThat(storeKekIds(n)).containsExactly(oldKek));

    // Half a rotation: a new active KEK, and only one store re-wrapped before the "crash".
    clock.advance(Duration.ofMinutes(1));
    assertThat(stoppingMaintenance(clock, harness.runtime().keys(), Duration.ofSeconds(30), 1)
        .runOnce()).isFalse();
    String newKek = harness.runtime().keys().get().keks().active().keyId();
    assertThat(newKek).isNotEqualTo(oldKek);

    Map<String, Set<String>> kekIdsByStore = NAMES.stream()
        .collect(Collectors.toMap(n -> n, this::storeKekIds));
    assertThat(kekIdsByStore.values()).containsOnly(Set.of(oldKek), Set.of(newKek));
    assertThat(kekIdsByStore.values()).filteredOn(Set.of(newKek)::equals).hasSize(1);
    assertThat(kekIds(harness.runtime().keys().get().keks())).containsExactly(oldKek, newKek);
    assertThat(kekIds(storedKeys().keks()))
        .as("the old KEK stays in Secret %s while a store still needs it", OperatorKeyStore.SECRET)
        .containsExactly(oldKek, newKek);

    // Half-way, a credential still on the old KEK rotates: the new value is written under the new
    // KEK next to the old one, and both open.
    String rotated = NAMES.stream().filter(n -> kekIdsByStore.get(n).contains(oldKek))
        .findFirst().orElseThrow();
    String oldVersion = servedVersion(rotated);
    harness.simulator().rotateCredential(clientId(rotated), secondSecret(rotated));
    harness.client().resource(new SecretBuilder(harness.secret(source(rotated)))
        .withData(Map.of("client_id", b64(clientId(rotated)),
            "client_secret", b64(secondSecret(rotated))))
        .build()).update();
    awaitServed(rotated, secondSecret(rotated));
    String newVersion = servedVersion(rotated);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.credential(rotated).getStatus().getVersions())
            .extracting(CredentialVersionStatus::getFingerprint, CredentialVersionStatus::getState)
            .containsExactlyInAnyOrder(tuple(newVersion, "current"),
                tuple(oldVersion, "previous")));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(versionKekIds(rotated, newVersion)).containsExactly(newKek);
      assertThat(versionKekIds(rotated, oldVersion)).containsExactly(oldKek);
    });
    KekRing halfWay = harness.runtime().keys().get().keks();
    assertThat(openSecret(rotated, oldVersion, halfWay)).isEqualTo(firstSecret(rotated));
    assertThat(openSecret(rotated, newVersion, halfWay)).isEqualTo(secondSecret(rotated));

    // Crash, restart, finish the re-wrap.
    harness.stop();
    harness.start();
    // The restarted operator loaded the half-rotated ring from its Secret.
    assertThat(kekIds(harness.runtime().keys().get().keks())).containsExactly(oldKek, newKek);
    // The restarted operator re-wraps at once, but keeps the old KEK for RETIRE_AFTER in case a
    // reconcile that read the keys before the rotation is still writing under it.
    assertThat(harness.runtime().maintenance().rekeyStores()).isZero();
    assertThat(kekIds(harness.runtime().keys().get().keks())).contains(oldKek);
    clock.advance(KekPolicy.RETIRE_AFTER.plusMinutes(1));
    assertThat(harness.runtime().maintenance().rekeyStores()).isZero();

    assertThat(NAMES).allSatisfy(n -> assertThat(storeKekIds(n)).containsExactly(newKek));
    KekRing stored = storedKeys().keks();
    assertThat(kekIds(stored)).containsExactly(newKek);
    assertThat(kekIds(harness.runtime().keys().get().keks())).containsExactly(newKek);
    // Nothing lost: every value any store keeps opens with the keys as persisted.
    for (String name : NAMES) {
      StoredVersions versions = StoredVersions.parse(harness.secret(store(name)).getData());
      assertThat(versions.ledger().fingerprintsWithValues()).isNotEmpty()
          .allSatisfy(fp -> assertThat(openSecret(name, fp, stored)).isIn(firstSecret(name),
              secondSecret(name)));
    }
    assertThat(openSecret(rotated, oldVersion, stored)).isEqualTo(firstSecret(rotated));
    assertThat(openSecret(rotated, newVersion, stored)).isEqualTo(secondSecret(rotated));
    NAMES.forEach(n -> awaitServed(n, n.equals(rotated) ? secondSecret(n) : firstSecret(n)));
    await().atMost(WAIT).untilAsserted(() -> assertThat(NAMES).allSatisfy(n ->
        assertThat(harness.condition(n, Conditions.READY)).map(Condition::getStatus)
            .contains("True")));
  }

  @Test
  void sealingKeyRenewalKeepsOldSealedValuesOpening() {
    MutableClock clock = new MutableClock(Instant.now());
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential("sealed-id", "sealed-secret");
    OperatorConfig base = harness.config();
    Duration renewal = Duration.ofDays(1);
    harness.start(new OperatorConfig(base.namespace(), base.watchNamespaces(),
        base.reloadlyAuthUrl(), base.metricsPort(), base.maxConcurrentTokenRequests(), renewal,
        base.kekRotation()));
    String firstKey = publishedSealingKeys().newest().keyId();
    harness.client().resource(sealedCredential("shop",
        seal(harness.client(), "shop", SealingScope.CLIENT_ID, "sealed-id"),
        seal(harness.client(), "shop", SealingScope.CLIENT_SECRET, "sealed-secret"),
        TargetMode.CREDENTIALS)).create();
    awaitServed("shop", "sealed-secret");
    await().atMost(WAIT).untilAsserted(() -> assertThat(harness.credential("shop").getStatus()
        .getSealingKey()).isEqualTo(new SealingKeyStatus(firstKey, true)));

    clock.advance(renewal.plusMinutes(1));
    harness.runtime().maintenance().runOnce();

    SealingKeyRing published = publishedSealingKeys();
    assertThat(published.keys()).extracting(SealingKey::keyId).hasSize(2).startsWith(firstKey);
    String secondKey = published.newest().keyId();
    assertThat(secondKey).isNotEqualTo(firstKey);
    assertThat(storedKeys().sealing().keys()).extracting(SealingKey::keyId)
        .as("both private keys are kept in Secret %s", OperatorKeyStore.SECRET)
        .containsExactly(firstKey, secondKey);

    // The renewal itself makes the operator look at sealed credentials again: status and the
    // old-key gauge tell what to re-seal, with no other change in the cluster.
    await().atMost(WAIT).untilAsserted(() -> {
      ReloadlyCredential credential = harness.credential("shop");
      assertThat(credential.getStatus().getSealingKey())
          .isEqualTo(new SealingKeyStatus(firstKey, false));
      assertThat(harness.condition("shop", Conditions.SOURCE_READY)).map(Condition::getStatus)
          .contains("True");
      assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getStatus)
          .contains("True");
    });
    Secret target = harness.secret("shop-reloadly");
    assertThat(unb64(target.getData().get("client_id"))).isEqualTo("sealed-id");
    assertThat(unb64(target.getData().get("client_secret"))).isEqualTo("sealed-secret");
  }

  @Test
  void rotateKekCommandRotatesAtOnceAndRewrapsEveryStore() {
    harness = new OperatorHarness(Clock.systemUTC());
    startWithServedCredentials();
    String oldKek = harness.runtime().keys().get().keks().active().keyId();

    int exit = new picocli.CommandLine(new dev.reloadly.operator.cli.RotateKekCommand(
            () -> harness.server().newClient()))
        .execute("--operator-namespace", OperatorHarness.OPERATOR_NAMESPACE);
    assertThat(exit).isZero();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String active = harness.runtime().keys().get().keks().active().keyId();
      assertThat(active).isNotEqualTo(oldKek);
      assertThat(NAMES).allSatisfy(n -> assertThat(storeKekIds(n)).containsExactly(active));
      assertThat(harness.client().secrets().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
          .withName(OperatorKeyStore.SECRET).get().getMetadata().getAnnotations())
          .doesNotContainKey(OperatorKeyStore.ROTATE_KEK);
    });
    NAMES.forEach(n -> awaitServed(n, firstSecret(n)));
  }

  /**
   * Key maintenance as the operator runs it, on the given keys, but stopping after
   * {@code writes} store writes, as an operator that crashed would; it rotates the KEK when
   * {@code kekEvery} has passed.
   */
  private KeyMaintenance stoppingMaintenance(Clock clock, KeyHolder keys, Duration kekEvery,
      int writes) {
    SecureRandom random = new SecureRandom();
    return new KeyMaintenance(
        new OperatorKeyStore(harness.client(), OperatorHarness.OPERATOR_NAMESPACE, clock, random),
        keys, clock, new KekPolicy(kekEvery, random),
        new SealingRenewal(Duration.ofDays(30), random, () -> { }),
        new StoreRekeying(new StopsAfterWrites(
            new ClusterStoreSecrets(harness.client(), Set.of()), writes), new EnvelopeCipher()));
  }

  @Test
  void reencryptionStoppedHalfWayResumesAfterARestartAndIsNotRepeated() {
    MutableClock clock = new MutableClock(Instant.now());
    harness = new OperatorHarness(clock);
    startWithServedCredentials();
    String oldKek = harness.runtime().keys().get().keks().active().keyId();
    Map<String, Map<String, String>> before = storeData();
    harness.stop();

    int exit = new picocli.CommandLine(new dev.reloadly.operator.cli.RotateKekCommand(
            () -> harness.server().newClient()))
        .execute("--operator-namespace", OperatorHarness.OPERATOR_NAMESPACE, "--reencrypt");
    assertThat(exit).isZero();
    // The operator takes the request and stops after re-encrypting one store.
    KeyHolder keys = new KeyHolder(storedKeys());
    assertThat(stoppingMaintenance(clock, keys, Duration.ofDays(30), 1).runOnce()).isFalse();
    String newKek = keys.get().keks().active().keyId();
    assertThat(newKek).isNotEqualTo(oldKek);
    assertThat(keySecretAnnotations())
        .as("the progress record survives the crash; the request is answered")
        .containsEntry(OperatorKeyStore.REENCRYPT_KEKS, oldKek)
        .doesNotContainKeys(OperatorKeyStore.ROTATE_KEK, OperatorKeyStore.REENCRYPT);
    Map<String, Map<String, String>> halfWay = storeData();
    List<String> done = NAMES.stream().filter(n -> storeKekIds(n).equals(Set.of(newKek))).toList();
    assertThat(done).hasSize(1);
    assertThat(StoreRekeyingTest.bodies(halfWay.get(done.get(0))))
        .doesNotContainAnyElementsOf(StoreRekeyingTest.bodies(before.get(done.get(0))));

    // Restart: the first pass finishes the re-encryption without a new rotation.
    harness.start();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(NAMES).allSatisfy(n -> assertThat(storeKekIds(n)).containsExactly(newKek)));
    assertThat(harness.runtime().keys().get().keks().active().keyId()).isEqualTo(newKek);
    assertThat(harness.secret(store(done.get(0))).getData())
        .as("the store re-encrypted before the crash is not re-encrypted again")
        .isEqualTo(halfWay.get(done.get(0)));
    Map<String, Map<String, String>> after = storeData();
    assertThat(NAMES).allSatisfy(n -> assertThat(StoreRekeyingTest.bodies(after.get(n)))
        .as("every value of %s has a new data key", n)
        .doesNotContainAnyElementsOf(StoreRekeyingTest.bodies(before.get(n))));

    // Once the old KEK is retired the record goes, and a finished pass writes nothing more.
    clock.advance(KekPolicy.RETIRE_AFTER.plusMinutes(1));
    assertThat(harness.runtime().maintenance().runOnce()).isTrue();
    assertThat(kekIds(storedKeys().keks())).containsExactly(newKek);
    assertThat(keySecretAnnotations()).doesNotContainKey(OperatorKeyStore.REENCRYPT_KEKS);
    Map<String, Map<String, String>> finished = storeData();
    assertThat(harness.runtime().maintenance().runOnce()).isTrue();
    assertThat(storeData()).isEqualTo(finished);
    KekRing stored = storedKeys().keks();
    NAMES.forEach(n -> assertThat(openSecret(n, servedVersion(n), stored)).isEqualTo(firstSecret(n)));
    NAMES.forEach(n -> awaitServed(n, firstSecret(n)));
  }

  @Test
  void aKeyPlantedInTheSealingConfigMapIsRepaired() {
    harness = new OperatorHarness(Clock.systemUTC());
    harness.start();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    ch.qos.logback.classic.Logger storeLog =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(OperatorKeyStore.class);
    storeLog.addAppender(log);
    String published = publishedDocument();
    String operatorKey = harness.runtime().keys().get().sealing().newest().keyId();
    SealingKeyRing planted = SealingKeyRing.generate(Instant.now(), new SecureRandom());

    harness.client().configMaps().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.CONFIG_MAP).edit(cm -> {
          cm.getData().put(OperatorKeyStore.PUBLIC_KEYS, planted.publicOnly().toPublicDocument());
          return cm;
        });

    await().atMost(WAIT).untilAsserted(() -> assertThat(publishedDocument()).isEqualTo(published));
    assertThat(publishedSealingKeys().newest().keyId()).isEqualTo(operatorKey);
    await().atMost(WAIT).untilAsserted(() -> assertThat(log.list)
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains("restored it").contains(operatorKey)));
    storeLog.detachAppender(log);
    // The repair's own update event finds nothing to repair: no loop.
    String version = publishedConfigMap().getMetadata().getResourceVersion();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
        version.equals(publishedConfigMap().getMetadata().getResourceVersion()));

    // Deleted, it comes back too.
    harness.client().resource(publishedConfigMap()).delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(publishedDocument()).isEqualTo(published));
  }

  @Test
  void aRetiredSealingKeyIsDroppedByTheRunningOperatorAndNeverWrittenBack() {
    MutableClock clock = new MutableClock(Instant.now());
    harness = new OperatorHarness(clock);
    OperatorConfig base = harness.config();
    Duration renewal = Duration.ofDays(1);
    harness.start(new OperatorConfig(base.namespace(), base.watchNamespaces(),
        base.reloadlyAuthUrl(), base.metricsPort(), base.maxConcurrentTokenRequests(), renewal,
        base.kekRotation()));
    clock.advance(renewal.plusMinutes(1));
    harness.runtime().maintenance().runOnce();
    List<String> ids = publishedSealingKeys().keys().stream().map(SealingKey::keyId).toList();
    assertThat(ids).hasSize(2);

    int exit = new picocli.CommandLine(new dev.reloadly.operator.cli.RetireSealingKeyCommand(
            () -> harness.server().newClient()))
        .execute(ids.get(0), "--operator-namespace", OperatorHarness.OPERATOR_NAMESPACE);
    assertThat(exit).isZero();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(harness.runtime().keys().get().sealing().keys()).extracting(SealingKey::keyId)
          .containsExactly(ids.get(1));
      assertThat(publishedSealingKeys().keys()).extracting(SealingKey::keyId)
          .containsExactly(ids.get(1));
    });
    // A later save of the keys (a KEK rotation) does not bring the retired key back.
    String kek = harness.runtime().keys().get().keks().active().keyId();
    new picocli.CommandLine(new dev.reloadly.operator.cli.RotateKekCommand(
            () -> harness.server().newClient()))
        .execute("--operator-namespace", OperatorHarness.OPERATOR_NAMESPACE);
    await().atMost(WAIT).untilAsserted(() -> assertThat(
        harness.runtime().keys().get().keks().active().keyId()).isNotEqualTo(kek));
    assertThat(storedKeys().sealing().keys()).extracting(SealingKey::keyId)
        .containsExactly(ids.get(1));
  }

  @Test
  void withWatchNamespacesStoresElsewhereAreNotReadAndDoNotPinOldKeks() {
    MutableClock clock = new MutableClock(Instant.now());
    harness = new OperatorHarness(clock);
    OperatorConfig base = harness.config();
    startWithServedCredentials(new OperatorConfig(base.namespace(), Set.of(NAMESPACE),
        base.reloadlyAuthUrl(), base.metricsPort(), base.maxConcurrentTokenRequests(),
        base.sealingKeyRenewal(), base.kekRotation()));
    KekRing ring = harness.runtime().keys().get().keks();
    String oldKek = ring.active().keyId();
    // A store in an unwatched namespace, under the old KEK, that no pass could re-key (its values
    // are bound to another uid): read, it would keep the old KEK forever.
    harness.client().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName("elsewhere").endMetadata().build()).create();
    harness.client().resource(new SecretBuilder(harness.secret(store("alpha")))
        .editMetadata().withNamespace("elsewhere").withResourceVersion(null).withUid(null)
        .endMetadata().build()).create();

    int exit = new picocli.CommandLine(new dev.reloadly.operator.cli.RotateKekCommand(
            () -> harness.server().newClient()))
        .execute("--operator-namespace", OperatorHarness.OPERATOR_NAMESPACE);
    assertThat(exit).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(NAMES).allSatisfy(n ->
        assertThat(storeKekIds(n)).doesNotContain(oldKek)));
    clock.advance(KekPolicy.RETIRE_AFTER.plusMinutes(1));

    assertThat(harness.runtime().maintenance().runOnce()).isTrue();
    assertThat(kekIds(storedKeys().keks())).doesNotContain(oldKek);
    assertThat(StoredVersions.parse(harness.client().secrets().inNamespace("elsewhere")
        .withName(store("alpha")).get().getData()).kekIds()).containsExactly(oldKek);
  }

  private Map<String, Map<String, String>> storeData() {
    return NAMES.stream().collect(Collectors.toMap(n -> n, n -> harness.secret(store(n)).getData()));
  }

  private Map<String, String> keySecretAnnotations() {
    Map<String, String> annotations = harness.client().secrets()
        .inNamespace(OperatorHarness.OPERATOR_NAMESPACE).withName(OperatorKeyStore.SECRET).get()
        .getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private io.fabric8.kubernetes.api.model.ConfigMap publishedConfigMap() {
    return harness.client().configMaps().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.CONFIG_MAP).get();
  }

  private String publishedDocument() {
    io.fabric8.kubernetes.api.model.ConfigMap configMap = publishedConfigMap();
    return configMap == null ? null : configMap.getData().get(OperatorKeyStore.PUBLIC_KEYS);
  }

  /** Every credential of NAMES reads its own source Secret, and all are served. */
  private void startWithServedCredentials() {
    startWithServedCredentials(harness.config());
  }

  private void startWithServedCredentials(OperatorConfig config) {
    for (String name : NAMES) {
      harness.simulator().allowCredential(clientId(name), firstSecret(name));
      harness.client().resource(sourceSecret(source(name), clientId(name), firstSecret(name)))
          .create();
      harness.client().resource(secretRefCredential(name, source(name), TargetMode.CREDENTIALS))
          .create();
    }
    harness.start(config);
    NAMES.forEach(n -> awaitServed(n, firstSecret(n)));
  }

  private void awaitServed(String name, String clientSecret) {
    await().atMost(WAIT).untilAsserted(() -> {
      Secret target = harness.secret(name + "-reloadly");
      assertThat(target).isNotNull();
      assertThat(target.getData()).containsKeys("client_id", "client_secret");
      assertThat(unb64(target.getData().get("client_secret"))).isEqualTo(clientSecret);
    });
  }

  private String servedVersion(String name) {
    return harness.secret(name + "-reloadly").getMetadata().getAnnotations()
        .get(ApiLabels.VERSION);
  }

  /** The KEKs the values of a store Secret are wrapped under, read from the Secret's data. */
  private Set<String> storeKekIds(String name) {
    return StoredVersions.parse(harness.secret(store(name)).getData()).kekIds();
  }

  /** The KEKs one version's values are wrapped under; data keys are "v-<fingerprint hex>.<field>". */
  private Set<String> versionKekIds(String name, String fingerprint) {
    String prefix = "v-" + fingerprint.substring(fingerprint.indexOf(':') + 1) + ".";
    return harness.secret(store(name)).getData().entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(e -> EncryptedValue.kekIdOf(unb64(e.getValue())))
        .collect(Collectors.toSet());
  }

  /** Decrypts a stored client secret as the operator would, with the given KEK ring. */
  private String openSecret(String name, String fingerprint, KekRing keks) {
    StoredVersions versions = StoredVersions.parse(harness.secret(store(name)).getData());
    StoredVersions.Crypto crypto = new StoredVersions.Crypto(new StoredVersions.Binding(NAMESPACE,
        name, harness.credential(name).getMetadata().getUid()), new EnvelopeCipher(), keks);
    try (CredentialMaterial material = versions.open(fingerprint, crypto).orElseThrow()) {
      return new String(material.clientSecret());
    }
  }

  /** The keys as persisted in Secret reloadly-operator-keys, parsed by a fresh key store. */
  private OperatorKeys storedKeys() {
    return new OperatorKeyStore(harness.client(), OperatorHarness.OPERATOR_NAMESPACE,
        Clock.systemUTC(), new SecureRandom()).loadOrCreate();
  }

  private SealingKeyRing publishedSealingKeys() {
    return SealingKeyRing.parsePublicDocument(harness.client().configMaps()
        .inNamespace(OperatorHarness.OPERATOR_NAMESPACE).withName(OperatorKeyStore.CONFIG_MAP)
        .get().getData().get(OperatorKeyStore.PUBLIC_KEYS));
  }

  private static List<String> kekIds(KekRing ring) {
    return ring.entries().stream().map(e -> e.kek().keyId()).toList();
  }

  private static String clientId(String name) {
    return name + "-client";
  }

  private static String firstSecret(String name) {
    return name + "-secret-1";
  }

  private static String secondSecret(String name) {
    return name + "-secret-2";
  }

  private static String source(String name) {
    return name + "-src";
  }

  private static String store(String name) {
    return StoredVersions.secretName(name);
  }
}
