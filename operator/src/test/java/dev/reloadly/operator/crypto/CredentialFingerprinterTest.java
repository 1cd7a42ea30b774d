package dev.reloadly.operator.crypto;

import static dev.reloadly.operator.crypto.CryptoFixtures.RANDOM;
import static dev.reloadly.operator.crypto.CryptoFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CredentialFingerprinterTest {

    private final byte[] key = CredentialFingerprinter.generateKey(RANDOM);
    private final CredentialFingerprinter fingerprinter = new CredentialFingerprinter(key);

    @Test
    void fingerprintsAreStableAndShort() {
        String first = fingerprinter.fingerprint(utf8("client-id"), CryptoFixtures.canary());

        assertThat(first).matches("hmac-sha256:[0-9a-f]{32}");
        assertThat(fingerprinter.fingerprint(utf8("client-id"), CryptoFixtures.canary())).isEqualTo(first);
        assertThat(new CredentialFingerprinter(key.clone()).fingerprint(utf8("client-id"), CryptoFixtures.canary())).isEqualTo(first);
    }

    @Test
    void charAndUtf8ByteInputsGiveTheSameFingerprint() {
        assertThat(fingerprinter.fingerprint("clïent".toCharArray(), CryptoFixtures.CANARY.toCharArray()))
                .isEqualTo(fingerprinter.fingerprint(utf8("clïent"), CryptoFixtures.canary()));
    }

    @Test
    void fingerprintsDifferAcrossKeysSecretsAndClientIds() {
        String base = fingerprinter.fingerprint(utf8("client-id"), utf8("secret-1"));

        assertThat(new CredentialFingerprinter(CredentialFingerprinter.generateKey(RANDOM))
                .fingerprint(utf8("client-id"), utf8("secret-1"))).isNotEqualTo(base);
        assertThat(fingerprinter.fingerprint(utf8("client-id"), utf8("secret-2"))).isNotEqualTo(base);
        assertThat(fingerprinter.fingerprint(utf8("client-id-2"), utf8("secret-1"))).isNotEqualTo(base);
    }

    @Test
    void movingCharactersBetweenClientIdAndSecretChangesTheFingerprint() {
        assertThat(fingerprinter.fingerprint(utf8("ab"), utf8("c"))).isNotEqualTo(fingerprinter.fingerprint(utf8("a"), utf8("bc")));
    }

    @Test
    void aFingerprintIsNotAPlainHashOfTheSecret() throws Exception {
        String fingerprint = fingerprinter.fingerprint(new byte[0], CryptoFixtures.canary());
        String plainHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CryptoFixtures.canary()), 0, 16);

        assertThat(fingerprint).doesNotContain(plainHash).doesNotContain(CryptoFixtures.CANARY);
        assertThat(fingerprinter.toString()).doesNotContain(HexFormat.of().formatHex(key));
    }

    @Test
    void comparisonIsExactAndNullSafe() {
        String fingerprint = fingerprinter.fingerprint(utf8("id"), utf8("secret"));

        assertThat(CredentialFingerprinter.sameFingerprint(fingerprint, new String(fingerprint))).isTrue();
        assertThat(CredentialFingerprinter.sameFingerprint(fingerprint, fingerprinter.fingerprint(utf8("id"), utf8("other")))).isFalse();
        assertThat(CredentialFingerprinter.sameFingerprint(fingerprint, null)).isFalse();
        assertThat(CredentialFingerprinter.sameFingerprint(null, null)).isFalse();
    }

    @Test
    void shortFormIsTheFirstTwelveHexCharactersWithoutThePrefix() {
        String fingerprint = fingerprinter.fingerprint(utf8("id"), utf8("secret"));

        assertThat(CredentialFingerprinter.shortForm(fingerprint))
                .isEqualTo(fingerprint.substring(CredentialFingerprinter.PREFIX.length(),
                        CredentialFingerprinter.PREFIX.length() + 12))
                .matches("[0-9a-f]{12}");
        assertThat(CredentialFingerprinter.shortForm("hmac-sha256:abc")).isEqualTo("abc");
        assertThat(CredentialFingerprinter.shortForm(null)).isNull();
    }

    @Test
    void refusesShortKeysAndBrokenText() {
        assertThatThrownBy(() -> new CredentialFingerprinter(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fingerprinter.fingerprint("id".toCharArray(), (CryptoFixtures.CANARY + "\uD800").toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CryptoFixtures.CANARY));
    }
}
