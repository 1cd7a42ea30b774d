package dev.reloadly.operator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.StoreDecryptionException;
import dev.reloadly.operator.lifecycle.VersionState;
import dev.reloadly.operator.source.CredentialMaterial;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The store Secret's content: ledger plus encrypted values, without a server. */
class StoredVersionsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String FP1 = "hmac-sha256:" + "1".repeat(32);
  static final String FP2 = "hmac-sha256:" + "2".repeat(32);
  static final String SECRET = "CANARY-store-s3cr3t";

  private final SecureRandom random = new SecureRandom();
  private final KekRing keks = KekRing.generate(T0, random);
  private final StoredVersions.Binding binding =
      new StoredVersions.Binding("payments", "shop", "uid-1");
  private final StoredVersions.Crypto crypto =
      new StoredVersions.Crypto(binding, new EnvelopeCipher(random), keks);

  @Test
  void missingOrEmptyDataIsAnEmptyStore() {
    assertThat(StoredVersions.parse(null).ledger().versions()).isEmpty();
    assertThat(StoredVersions.parse(Map.of()).ledger().versions()).isEmpty();
    assertThat(StoredVersions.empty().toData()).containsOnlyKeys(StoredVersions.LEDGER);
  }

  @Test
  void valueSurvivesTheSecretDataMapAndNeverAppearsInClear() {
    StoredVersions stored = offered(FP1, "id-1", SECRET);

    Map<String, String> data = stored.toData();
    StoredVersions read = StoredVersions.parse(data);

    assertThat(data).containsOnlyKeys(StoredVersions.LEDGER, StoredVersions.key(FP1, "client-id"),
        StoredVersions.key(FP1, "client-secret"));
    assertThat(data.values()).allSatisfy(v -> assertThat(decoded(v)).doesNotContain(SECRET));
    assertThat(read.ledger().find(FP1)).map(v -> v.state()).contains(VersionState.PENDING);
    assertThat(read.hasValue(FP1)).isTrue();
    assertThat(read.hasValue(FP2)).isFalse();
    try (CredentialMaterial material = read.open(FP1, crypto).orElseThrow()) {
      assertThat(new String(material.clientId())).isEqualTo("id-1");
      assertThat(new String(material.clientSecret())).isEqualTo(SECRET);
    }
    assertThat(read.open(FP2, crypto)).isEmpty();
  }

  @Test
  void valueBoundToAnotherCredentialDoesNotOpen() {
    StoredVersions stored = StoredVersions.parse(offered(FP1, "id-1", SECRET).toData());
    StoredVersions.Crypto recreated = new StoredVersions.Crypto(
        new StoredVersions.Binding("payments", "shop", "uid-2"), crypto.cipher(), keks);

    assertThatThrownBy(() -> stored.open(FP1, recreated))
        .isInstanceOf(StoreDecryptionException.class);
  }

  @Test
  void valuesSwappedBetweenFieldsDoNotOpen() {
    Map<String, String> data = new HashMap<>(offered(FP1, "id-1", SECRET).toData());
    data.put(StoredVersions.key(FP1, "client-secret"),
        data.get(StoredVersions.key(FP1, "client-id")));

    assertThatThrownBy(() -> StoredVersions.parse(data).open(FP1, crypto))
        .isInstanceOf(StoreDecryptionException.class);
  }

  @Test
  void retiredVersionLeavesTheStoreWhileThePreviousOneStays() {
    StoredVersions stored = offered(FP1, "id-1", "secret-1");
    stored = stored.withLedger(stored.ledger().promote(FP1, T0));
    StoredVersions second = stored.withLedger(stored.ledger().offer(FP2, T0.plusSeconds(60)))
        .withValue(FP2, new CredentialMaterial("id-1".toCharArray(), "secret-2".toCharArray()),
            crypto);
    second = second.withLedger(second.ledger().promote(FP2, T0.plusSeconds(60)));

    assertThat(second.toData()).containsKeys(StoredVersions.key(FP1, "client-secret"),
        StoredVersions.key(FP2, "client-secret"));

    Instant graceEnds = T0.plusSeconds(60).plus(Duration.ofHours(1));
    StoredVersions afterGrace = second.withLedger(
        second.ledger().retireExpired(graceEnds, Duration.ofHours(1)));
    assertThat(afterGrace.toData()).containsOnlyKeys(StoredVersions.LEDGER,
        StoredVersions.key(FP2, "client-id"), StoredVersions.key(FP2, "client-secret"));
  }

  @Test
  void damagedLedgerIsRefused() {
    assertThatThrownBy(() -> StoredVersions.parse(Map.of(StoredVersions.LEDGER, b64("{not json"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoredVersions.parse(Map.of(StoredVersions.LEDGER, "%%not base64%%")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not base64");
  }

  @Test
  void rewrapMovesEveryValueToTheActiveKekAndStillOpens() {
    StoredVersions stored = offered(FP1, "id-1", SECRET);
    KekRing rotated = keks.rotated(T0.plus(Duration.ofDays(30)), random);
    StoredVersions.Crypto afterRotation =
        new StoredVersions.Crypto(binding, crypto.cipher(), rotated);

    StoredVersions rewrapped = stored.rewrapped(afterRotation);

    assertThat(stored.kekIds()).containsExactly(keks.active().keyId());
    assertThat(rewrapped.kekIds()).isEqualTo(Set.of(rotated.active().keyId()))
        .doesNotContain(keks.active().keyId());
    try (CredentialMaterial material = rewrapped.open(FP1, afterRotation).orElseThrow()) {
      assertThat(new String(material.clientSecret())).isEqualTo(SECRET);
    }
    assertThatThrownBy(() -> rewrapped.open(FP1, crypto))
        .as("the old ring alone does not know the new KEK")
        .isInstanceOf(StoreDecryptionException.class);
  }

  private StoredVersions offered(String fingerprint, String clientId, String clientSecret) {
    StoredVersions empty = StoredVersions.empty();
    return empty.withLedger(empty.ledger().offer(fingerprint, T0)).withValue(fingerprint,
        new CredentialMaterial(clientId.toCharArray(), clientSecret.toCharArray()), crypto);
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decoded(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
