package dev.reloadly.operator.crypto;

import static dev.reloadly.operator.crypto.CryptoFixtures.RANDOM;
import static dev.reloadly.operator.crypto.CryptoFixtures.STORE_AAD;
import static dev.reloadly.operator.crypto.CryptoFixtures.T0;
import static dev.reloadly.operator.crypto.CryptoFixtures.THIRTY_DAYS;
import static dev.reloadly.operator.crypto.CryptoFixtures.canary;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.DUPLICATE_KEY_ID;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.EMPTY;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.INVALID_KEY;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.MALFORMED;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.UNSUPPORTED_FORMAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KekRingTest {

    private final KekRing ring = KekRing.generate(T0, RANDOM);

    @Test
    void localKekIdsAreDerivedFromTheKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;

        assertThat(LocalKeyEncryptionKey.of(key).keyId()).isEqualTo(LocalKeyEncryptionKey.of(key).keyId())
                .matches("local-[0-9a-f]{16}");
        assertThat(LocalKeyEncryptionKey.of(otherKey).keyId()).isNotEqualTo(LocalKeyEncryptionKey.of(key).keyId());
        assertThatThrownBy(() -> LocalKeyEncryptionKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLocalKekWrapsWithAFreshNonceAndBindsTheAad() {
        LocalKeyEncryptionKey kek = LocalKeyEncryptionKey.generate(RANDOM);
        byte[] dataKey = new byte[32];

        byte[] first = kek.wrap(dataKey, STORE_AAD);
        byte[] second = kek.wrap(dataKey, STORE_AAD);

        assertThat(first).hasSize(12 + 32 + 16).isNotEqualTo(second);
        assertThat(kek.unwrap(first, STORE_AAD)).isEqualTo(dataKey);
        assertThat(catchThrowableOfType(StoreDecryptionException.class, () -> kek.unwrap(first, new byte[0])).reason())
                .isEqualTo(StoreDecryptionException.Reason.AUTHENTICATION_FAILED);
        assertThat(catchThrowableOfType(StoreDecryptionException.class, () -> kek.unwrap(new byte[5], STORE_AAD)).reason())
                .isEqualTo(StoreDecryptionException.Reason.AUTHENTICATION_FAILED);
        assertThat(kek.toString()).isEqualTo("LocalKeyEncryptionKey[" + kek.keyId() + "]");
    }

    @Test
    void needsRotationExactlyWhenTheActiveKekReachesTheInterval() {
        assertThat(ring.needsRotation(T0.plus(THIRTY_DAYS).minusMillis(1), THIRTY_DAYS)).isFalse();
        assertThat(ring.needsRotation(T0.plus(THIRTY_DAYS), THIRTY_DAYS)).isTrue();
        assertThat(ring.rotationDueAt(THIRTY_DAYS)).isEqualTo(T0.plus(THIRTY_DAYS));
        assertThat(ring.rotated(T0.plus(THIRTY_DAYS), RANDOM).needsRotation(T0.plus(THIRTY_DAYS), THIRTY_DAYS)).isFalse();
    }

    @Test
    void rotationAddsAnActiveKekAndKeepsTheOldOnes() {
        KekRing rotated = ring.rotated(T0.plus(THIRTY_DAYS), RANDOM);

        assertThat(rotated.entries()).hasSize(2);
        assertThat(rotated.active().keyId()).isNotEqualTo(ring.active().keyId());
        assertThat(rotated.activeEntry().createdAt()).isEqualTo(T0.plus(THIRTY_DAYS));
        assertThat(rotated.find(ring.active().keyId())).containsSame(ring.active());
    }

    @Test
    void retireDropsAnOldKekButNeverTheActiveOne() {
        KekRing rotated = ring.rotated(T0.plus(THIRTY_DAYS), RANDOM);

        KekRing retired = rotated.retire(ring.active().keyId());

        assertThat(retired.entries()).extracting(e -> e.kek().keyId()).containsExactly(rotated.active().keyId());
        assertThatThrownBy(() -> rotated.retire(rotated.active().keyId())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rotated.retire("local-0000000000000000")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entriesRefuseUnusableKekIds() {
        KeyEncryptionKey spaced = new KeyEncryptionKey() {
            @Override
            public String keyId() {
                return "has space";
            }

            @Override
            public byte[] wrap(byte[] dataKey, byte[] aad) {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] unwrap(byte[] wrapped, byte[] aad) {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> new KekRing.Entry(spaced, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KekRing.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KekRing.of(List.of(ring.activeEntry(), ring.activeEntry()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSecretRoundTripsKeepingOrderCreationTimesAndDecryption() {
        EnvelopeCipher cipher = new EnvelopeCipher();
        EncryptedValue old = cipher.encrypt(canary(), STORE_AAD, ring);
        KekRing rotated = ring.rotated(T0.plus(THIRTY_DAYS), RANDOM);

        byte[] secret = rotated.toSecretBytes();
        KekRing parsed = KekRing.parseSecret(secret);

        assertThat(parsed.entries()).extracting(e -> e.kek().keyId())
                .containsExactly(ring.active().keyId(), rotated.active().keyId());
        assertThat(parsed.entries()).extracting(KekRing.Entry::createdAt).containsExactly(T0, T0.plus(THIRTY_DAYS));
        assertThat(cipher.decrypt(old, STORE_AAD, parsed)).isEqualTo(canary());
        assertThat(cipher.decrypt(cipher.encrypt(canary(), STORE_AAD, parsed), STORE_AAD, rotated)).isEqualTo(canary());
        assertThat(rotated.toString()).doesNotContain(keyBase64(rotated));
    }

    static Stream<Arguments> badSecrets() {
        KekRing ring = KekRing.generate(T0, RANDOM);
        KekRing other = KekRing.generate(T0, RANDOM);
        String good = new String(ring.toSecretBytes(), StandardCharsets.UTF_8);
        String entry = good.substring(good.indexOf('{', 1), good.lastIndexOf('}', good.lastIndexOf(']')) + 1);
        String key = keyBase64(ring);
        return Stream.of(
                Arguments.of("empty", "", MALFORMED),
                Arguments.of("not JSON", CryptoFixtures.CANARY, MALFORMED),
                Arguments.of("sealing key format", good.replace(KekRing.SECRET_FORMAT, SealingKeyRing.SECRET_FORMAT), UNSUPPORTED_FORMAT),
                Arguments.of("no keys", "{\"format\":\"" + KekRing.SECRET_FORMAT + "\",\"keys\":[]}", EMPTY),
                Arguments.of("key not base64", good.replace(key, CryptoFixtures.CANARY), MALFORMED),
                Arguments.of("key too short", good.replace(key, Base64.getEncoder().encodeToString(new byte[16])), INVALID_KEY),
                Arguments.of("key id of another key", good.replace(ring.active().keyId(), other.active().keyId()), INVALID_KEY),
                Arguments.of("missing createdAt", good.replaceAll(",\\s*\"createdAt\"\\s*:\\s*\"[^\"]*\"", ""), MALFORMED),
                Arguments.of("extra field", good.replace("\"keyId\"", "\"active\":true,\"keyId\""), MALFORMED),
                Arguments.of("duplicate key", good.replace(entry, entry + "," + entry), DUPLICATE_KEY_ID),
                Arguments.of("trailing garbage", good + "x", MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSecrets")
    void parsingAMangledSecretFailsWithTheRightReason(String description, String document, KeyRingFormatException.Reason reason) {
        KeyRingFormatException e = catchThrowableOfType(KeyRingFormatException.class,
                () -> KekRing.parseSecret(document.getBytes(StandardCharsets.UTF_8)));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).doesNotContain(CryptoFixtures.CANARY);
        assertThat(e.getCause()).isNull();
    }

    private static String keyBase64(KekRing ring) {
        return Base64.getEncoder().encodeToString(((LocalKeyEncryptionKey) ring.active()).keyCopy());
    }
}
