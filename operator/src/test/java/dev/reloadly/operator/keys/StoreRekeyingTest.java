package dev.reloadly.operator.keys;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.crypto.EncryptedValue;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The pass over store Secrets, against an in-memory set of Secrets. */
class StoreRekeyingTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String FINGERPRINT = "hmac-sha256:0a1b2c";
  static final SecureRandom RANDOM = new SecureRandom();

  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private final KekRing oldRing = KekRing.generate(T0, RANDOM);
  private final KekRing ring = oldRing.rotated(T0.plusSeconds(60), RANDOM);
  private final String oldKek = oldRing.active().keyId();
  private final String newKek = ring.active().keyId();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    log.start();
    ((Logger) LoggerFactory.getLogger(StoreRekeying.class)).addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    ((Logger) LoggerFactory.getLogger(StoreRekeying.class)).detachAppender(log);
  }

  @Test
  void rewrapKeepsTheDataKeyAndReencryptReplacesIt() {
    Secret rewrap = store("payments", "a", "uid-a", true);
    Secret reencrypt = store("payments", "b", "uid-b", true);
    InMemoryStores stores = new InMemoryStores(List.of(), rewrap, reencrypt);

    // Both run under the same new ring: only the KEKs listed for re-encryption get new DEKs.
    new StoreRekeying(stores.only("a"), cipher).run(ring, Set.of());
    new StoreRekeying(stores.only("b"), cipher).run(ring, Set.of(oldKek));

    assertThat(stores.written).hasSize(2);
    Secret rewrapped = stores.written.get(0);
    Secret reencrypted = stores.written.get(1);
    assertThat(kekIds(rewrapped)).containsExactly(newKek);
    assertThat(kekIds(reencrypted)).containsExactly(newKek);
    assertThat(bodies(rewrapped)).isEqualTo(bodies(rewrap));
    assertThat(bodies(reencrypted)).doesNotContainAnyElementsOf(bodies(reencrypt));
    assertThat(openSecret(rewrapped, "uid-a")).isEqualTo("secret-a");
    assertThat(openSecret(reencrypted, "uid-b")).isEqualTo("secret-b");
  }

  @Test
  void aStoreWithoutControllerOwnerDoesNotPinItsKeksAndIsReported() {
    InMemoryStores stores = new InMemoryStores(List.of(), store("payments", "orphan", "uid-o", false));

    StoreRekeying.Result result = new StoreRekeying(stores, cipher).run(ring, Set.of());

    assertThat(result.referenced()).doesNotContain(oldKek);
    assertThat(result.remaining()).isZero();
    assertThat(stores.written).isEmpty();
    assertThat(warnings()).anySatisfy(w -> assertThat(w)
        .contains("payments/orphan-reloadly-store").contains("no controller owner reference"));
  }

  @Test
  void aForbiddenNamespacePinsEveryKekAndIsReportedByName() {
    InMemoryStores stores = new InMemoryStores(List.of("team-b"),
        store("team-a", "a", "uid-a", true));

    StoreRekeying.Result result = new StoreRekeying(stores, cipher).run(ring, Set.of());

    assertThat(result.referenced()).contains(oldKek, newKek);
    assertThat(result.remaining()).isEqualTo(1);
    assertThat(stores.written).singleElement()
        .satisfies(s -> assertThat(kekIds(s)).containsExactly(newKek));
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("namespace team-b")
        .contains("403"));
  }

  private List<String> warnings() {
    return log.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** A store Secret with one version under the old KEK, owned (as controller) or not. */
  private Secret store(String namespace, String name, String uid, boolean controlled) {
    StoredVersions.Crypto crypto = new StoredVersions.Crypto(
        new StoredVersions.Binding(namespace, name, uid), cipher, oldRing);
    Map<String, String> data = StoredVersions.empty()
        .withLedger(VersionLedger.empty().offer(FINGERPRINT, T0).promote(FINGERPRINT, T0))
        .withValue(FINGERPRINT, new CredentialMaterial(("id-" + name).toCharArray(),
            ("secret-" + name).toCharArray()), crypto)
        .toData();
    SecretBuilder builder = new SecretBuilder().withNewMetadata()
        .withNamespace(namespace).withName(StoredVersions.secretName(name))
        .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .endMetadata().withData(data);
    if (controlled) {
      builder.editMetadata().addNewOwnerReference().withApiVersion("security.reloadly.dev/v1alpha1")
          .withKind("ReloadlyCredential").withName(name).withUid(uid).withController(true)
          .endOwnerReference().endMetadata();
    }
    return builder.build();
  }

  private String openSecret(Secret secret, String uid) {
    String name = secret.getOwnerReferenceFor(uid).orElseThrow().getName();
    StoredVersions.Crypto crypto = new StoredVersions.Crypto(new StoredVersions.Binding(
        secret.getMetadata().getNamespace(), name, uid), cipher, ring);
    try (CredentialMaterial material = StoredVersions.parse(secret.getData())
        .open(FINGERPRINT, crypto).orElseThrow()) {
      return new String(material.clientSecret());
    }
  }

  private static Set<String> kekIds(Secret secret) {
    return StoredVersions.parse(secret.getData()).kekIds();
  }

  /**
   * The nonce and ciphertext of each value: the encoding ends with them, so the last 12 + 16
   * bytes (nonce, GCM tag) of values this small differ exactly when the data key was replaced.
   */
  private static Set<String> bodies(Secret secret) {
    return bodies(secret.getData());
  }

  /** As {@link #bodies(Secret)}, for a store Secret's data map. */
  static Set<String> bodies(Map<String, String> data) {
    return data.entrySet().stream()
        .filter(e -> e.getKey().startsWith("v-"))
        .map(e -> new String(Base64.getDecoder().decode(e.getValue())))
        .map(text -> Base64.getUrlDecoder().decode(text.substring(EncryptedValue.PREFIX.length())))
        .map(bytes -> Base64.getEncoder().encodeToString(
            java.util.Arrays.copyOfRange(bytes, bytes.length - 28, bytes.length)))
        .collect(Collectors.toSet());
  }

  /** Store Secrets in memory; remembers what a pass wrote. */
  private static final class InMemoryStores implements StoreSecrets {
    final List<Secret> secrets;
    final List<String> forbidden;
    final List<Secret> written = new ArrayList<>();

    InMemoryStores(List<String> forbidden, Secret... secrets) {
      this.secrets = List.of(secrets);
      this.forbidden = forbidden;
    }

    StoreSecrets only(String name) {
      InMemoryStores outer = this;
      return new StoreSecrets() {
        @Override
        public Listing list() {
          return new Listing(secrets.stream().filter(s -> s.getMetadata().getName()
              .equals(StoredVersions.secretName(name))).toList(), List.of());
        }

        @Override
        public void update(Secret secret) {
          outer.update(secret);
        }
      };
    }

    @Override
    public Listing list() {
      return new Listing(secrets, forbidden);
    }

    @Override
    public void update(Secret secret) {
      written.add(secret);
    }
  }
}
