package dev.reloadly.operator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.crypto.StoreMac;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.store.StoredVersions.Authenticity;
import dev.reloadly.operator.store.StoredVersions.Binding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredVersionsAuthenticityTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Binding BINDING = new Binding("payments", "shop", "uid-1");
  static final StoreMac MAC = StoreMac.derivedFrom(new CredentialFingerprinter(key(7)));

  private final StoredVersions store = StoredVersions.empty()
      .withLedger(VersionLedger.empty().offer("hmac-sha256:aa", T0).promote("hmac-sha256:aa", T0))
      .signed(MAC, BINDING, 3);

  @Test
  void aSignedStoreReadsBackAuthenticWithItsGeneration() {
    StoredVersions read = StoredVersions.parse(store.toData());
    assertThat(read.authenticity(MAC, BINDING)).isEqualTo(Authenticity.AUTHENTIC);
    assertThat(read.generation()).isEqualTo(3);
    assertThat(read.ledger()).isEqualTo(store.ledger());
    assertThat(read.sameContentAs(store)).isTrue();
  }

  @Test
  void anEditedLedgerFailsItsMac() {
    Map<String, String> data = new HashMap<>(store.toData());
    String ledger = text(data.get(StoredVersions.LEDGER)).replace("CURRENT", "PENDING");
    data.put(StoredVersions.LEDGER, b64(ledger));
    assertThat(StoredVersions.parse(data).authenticity(MAC, BINDING))
        .isEqualTo(Authenticity.FORGED);
  }

  @Test
  void aRaisedGenerationFailsItsMac() {
    Map<String, String> data = new HashMap<>(store.toData());
    data.put(StoredVersions.GENERATION, b64("99"));
    assertThat(StoredVersions.parse(data).authenticity(MAC, BINDING))
        .isEqualTo(Authenticity.FORGED);
  }

  @Test
  void aStoreCopiedToAnotherCredentialFailsItsMac() {
    StoredVersions read = StoredVersions.parse(store.toData());
    assertThat(read.authenticity(MAC, new Binding("payments", "shop", "uid-2")))
        .isEqualTo(Authenticity.FORGED);
    assertThat(read.authenticity(MAC, new Binding("billing", "shop", "uid-1")))
        .isEqualTo(Authenticity.FORGED);
  }

  @Test
  void anotherOperatorsKeyDoesNotVerify() {
    StoreMac other = StoreMac.derivedFrom(new CredentialFingerprinter(key(8)));
    assertThat(StoredVersions.parse(store.toData()).authenticity(other, BINDING))
        .isEqualTo(Authenticity.FORGED);
  }

  @Test
  void aStoreWithoutMacIsUnsignedAndAChangedLedgerDropsTheMac() {
    Map<String, String> data = new HashMap<>(store.toData());
    data.remove(StoredVersions.LEDGER_MAC);
    data.remove(StoredVersions.GENERATION);
    assertThat(StoredVersions.parse(data).authenticity(MAC, BINDING))
        .isEqualTo(Authenticity.UNSIGNED);

    StoredVersions changed = store.withLedger(store.ledger().compromise("r", "x", T0));
    assertThat(changed.signed()).isFalse();
    assertThat(changed.toData()).doesNotContainKeys(StoredVersions.LEDGER_MAC);
    assertThat(store.withLedger(store.ledger())).isSameAs(store);
  }

  @Test
  void theMacKeyIsNotTheFingerprintKey() {
    // Derived, not reused: a fingerprint under the same key never equals a store tag.
    CredentialFingerprinter fingerprinter = new CredentialFingerprinter(key(7));
    String tag = MAC.tag("a", "b", "c", 1, "{}");
    assertThat(tag).startsWith("hmac-sha256:")
        .isNotEqualTo(fingerprinter.fingerprint("a".getBytes(), "b".getBytes()));
    assertThat(MAC.verifies("a", "b", "c", 1, "{}", tag)).isTrue();
    assertThat(MAC.verifies("a", "b", "c", 2, "{}", tag)).isFalse();
    assertThat(MAC.verifies("a", "b", "c", 1, "{}", null)).isFalse();
  }

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }
}
