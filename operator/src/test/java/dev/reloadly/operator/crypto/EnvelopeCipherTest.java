package dev.reloadly.operator.crypto;

import static dev.reloadly.operator.crypto.CryptoFixtures.RANDOM;
import static dev.reloadly.operator.crypto.CryptoFixtures.STORE_AAD;
import static dev.reloadly.operator.crypto.CryptoFixtures.T0;
import static dev.reloadly.operator.crypto.CryptoFixtures.THIRTY_DAYS;
import static dev.reloadly.operator.crypto.CryptoFixtures.canary;
import static dev.reloadly.operator.crypto.CryptoFixtures.utf8;
import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.AUTHENTICATION_FAILED;
import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.KEK_UNAVAILABLE;
import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.MALFORMED;
import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.UNKNOWN_KEK;
import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.UNSUPPORTED_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeCipherTest {

    private final EnvelopeCipher cipher = new EnvelopeCipher();
    private final KekRing ring = KekRing.generate(T0, RANDOM);

    @Test
    void encryptedValuesDecryptToThePlaintext() {
        EncryptedValue value = cipher.encrypt(canary(), STORE_AAD, ring);

        assertThat(value.kekId()).isEqualTo(ring.active().keyId());
        assertThat(value.encode()).startsWith("rlenv:v1:").doesNotContain(CryptoFixtures.CANARY);
        assertThat(cipher.decrypt(value, STORE_AAD, ring)).isEqualTo(canary());
        assertThat(cipher.decrypt(EncryptedValue.parse(value.encode()), STORE_AAD, ring)).isEqualTo(canary());
    }

    @Test
    void theEncodingRoundTrips() {
        EncryptedValue value = cipher.encrypt(canary(), STORE_AAD, ring);

        assertThat(EncryptedValue.parse(value.encode())).isEqualTo(value);
        assertThat(EncryptedValue.parse(" " + value.encode() + "\n")).isEqualTo(value);
        assertThat(EncryptedValue.kekIdOf(value.encode())).isEqualTo(ring.active().keyId());
        assertThat(value.toString()).contains(ring.active().keyId()).doesNotContain(CryptoFixtures.CANARY);
    }

    @Test
    void emptyAndLargePlaintextsRoundTrip() {
        byte[] large = new byte[EnvelopeCipher.MAX_PLAINTEXT_BYTES];
        RANDOM.nextBytes(large);
        for (byte[] plaintext : List.of(new byte[0], large)) {
            assertThat(cipher.decrypt(cipher.encrypt(plaintext, STORE_AAD, ring), STORE_AAD, ring)).isEqualTo(plaintext);
        }
        assertThatThrownBy(() -> cipher.encrypt(new byte[EnvelopeCipher.MAX_PLAINTEXT_BYTES + 1], STORE_AAD, ring))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyEncryptionUsesAFreshDataKeyAndNonce() {
        EncryptedValue first = cipher.encrypt(canary(), STORE_AAD, ring);
        EncryptedValue second = cipher.encrypt(canary(), STORE_AAD, ring);

        assertThat(first.nonce()).isNotEqualTo(second.nonce());
        assertThat(first.wrappedKey()).isNotEqualTo(second.wrappedKey());
        assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
    }

    static Stream<byte[]> otherAads() {
        String uid = "0d9c3c7e-1111-4a4a-9b9b-0123456789ab";
        String fp = "hmac-sha256:0123456789abcdef0123456789abcdef";
        return Stream.of(
                StoreAad.of("payments-staging", "reloadly-prod", uid, fp),
                StoreAad.of("payments", "reloadly-other", uid, fp),
                StoreAad.of("payments", "reloadly-prod", "0d9c3c7e-2222-4a4a-9b9b-0123456789ab", fp),
                StoreAad.of("payments", "reloadly-prod", uid, "hmac-sha256:ffffffffffffffffffffffffffffffff"),
                StoreAad.of("payments", "reloadly-prod", uid, fp, "clientSecret"),
                new byte[0]);
    }

    @ParameterizedTest
    @MethodSource("otherAads")
    void aValueMovedToAnotherRecordDoesNotDecrypt(byte[] otherAad) {
        EncryptedValue value = cipher.encrypt(canary(), STORE_AAD, ring);

        StoreDecryptionException e = catchThrowableOfType(StoreDecryptionException.class,
                () -> cipher.decrypt(value, otherAad, ring));

        assertThat(e.reason()).isEqualTo(AUTHENTICATION_FAILED);
        assertThat(catchThrowableOfType(StoreDecryptionException.class,
                () -> cipher.rewrap(value, otherAad, ring.rotated(T0.plus(THIRTY_DAYS), RANDOM))).reason())
                .isEqualTo(AUTHENTICATION_FAILED);
    }

    @Test
    void aValueUnderAKekNotInTheRingIsUnknownKek() {
        EncryptedValue value = cipher.encrypt(canary(), STORE_AAD, KekRing.generate(T0, RANDOM));

        StoreDecryptionException e = catchThrowableOfType(StoreDecryptionException.class,
                () -> cipher.decrypt(value, STORE_AAD, ring));

        assertThat(e.reason()).isEqualTo(UNKNOWN_KEK);
        assertThat(e.getMessage()).contains(value.kekId());
    }

    /** Regions of the v1 layout for a 22-character local KEK id and a 60-byte wrapped key. */
    enum Region {
        VERSION(0, 1, EnumSet.of(UNSUPPORTED_VERSION)),
        KEK_ID_LENGTH(1, 2, EnumSet.of(MALFORMED, UNKNOWN_KEK)),
        KEK_ID(2, 24, EnumSet.of(MALFORMED, UNKNOWN_KEK)),
        WRAPPED_LENGTH(24, 26, EnumSet.of(MALFORMED, AUTHENTICATION_FAILED)),
        WRAPPED_KEY(26, 86, EnumSet.of(AUTHENTICATION_FAILED)),
        NONCE(86, 98, EnumSet.of(AUTHENTICATION_FAILED)),
        CIPHERTEXT(98, -16, EnumSet.of(AUTHENTICATION_FAILED)),
        TAG(-16, 0, EnumSet.of(AUTHENTICATION_FAILED));

        final int from;
        final int to;
        final Set<StoreDecryptionException.Reason> reasons;

        Region(int from, int to, Set<StoreDecryptionException.Reason> reasons) {
            this.from = from;
            this.to = to;
            this.reasons = reasons;
        }
    }

    @ParameterizedTest
    @EnumSource(Region.class)
    void flippingAnyBitInTheRegionIsRefused(Region region) {
        // Two KEKs in the ring, so a KEK-id flip can never land on "the only key" by accident.
        KekRing twoKeks = ring.rotated(T0.plus(THIRTY_DAYS), RANDOM);
        byte[] layout = decode(cipher.encrypt(canary(), STORE_AAD, twoKeks).encode());
        int start = region.from < 0 ? layout.length + region.from : region.from;
        int end = region.to <= 0 ? layout.length + region.to : region.to;
        assertThat(end).isGreaterThan(start);

        for (int i = start; i < end; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = layout.clone();
                tampered[i] ^= (byte) (1 << bit);
                StoreDecryptionException e = catchThrowableOfType(StoreDecryptionException.class,
                        () -> cipher.decrypt(EncryptedValue.parse(encode(tampered)), STORE_AAD, twoKeks));
                assertThat(e).as("%s byte %d bit %d", region, i, bit).isNotNull();
                assertThat(e.reason()).as("%s byte %d bit %d", region, i, bit).isIn(region.reasons);
            }
        }
    }

    @Test
    void theRegionsCoverTheWholeLayout() {
        byte[] layout = decode(cipher.encrypt(canary(), STORE_AAD, ring).encode());
        assertThat(ring.active().keyId()).hasSize(22);
        assertThat(layout.length).isEqualTo(98 + CryptoFixtures.CANARY.length() + 16);
    }

    static Stream<Arguments> garbage() {
        String valid = new EnvelopeCipher().encrypt(canary(), STORE_AAD, KekRing.generate(T0, RANDOM)).encode();
        String body = valid.substring(EncryptedValue.PREFIX.length());
        return Stream.of(
                Arguments.of("null", null, MALFORMED),
                Arguments.of("empty", "", MALFORMED),
                Arguments.of("plaintext instead of a value", CryptoFixtures.CANARY, MALFORMED),
                Arguments.of("prefix only", EncryptedValue.PREFIX, MALFORMED),
                Arguments.of("not base64", EncryptedValue.PREFIX + "***", MALFORMED),
                Arguments.of("padded", valid + "=", MALFORMED),
                Arguments.of("a sealed value", "rlsealed:v1:" + body, MALFORMED),
                Arguments.of("truncated prefix", "rlenv:v", MALFORMED),
                Arguments.of("future version", "rlenv:v2:" + body, UNSUPPORTED_VERSION),
                Arguments.of("truncated body", valid.substring(0, valid.length() - 30), MALFORMED),
                Arguments.of("too long", EncryptedValue.PREFIX + "A".repeat(EncryptedValue.MAX_TEXT_LENGTH), MALFORMED),
                Arguments.of("canary as body", EncryptedValue.PREFIX + CryptoFixtures.CANARY, MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageIsRefusedWithTheRightReason(String description, String input, StoreDecryptionException.Reason reason) {
        StoreDecryptionException e = catchThrowableOfType(StoreDecryptionException.class, () -> EncryptedValue.parse(input));

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).doesNotContain(CryptoFixtures.CANARY);
    }

    @Test
    void everyTruncationIsRefused() {
        String valid = cipher.encrypt(canary(), STORE_AAD, ring).encode();
        for (int length = 0; length < valid.length(); length++) {
            String truncated = valid.substring(0, length);
            assertThatThrownBy(() -> cipher.decrypt(EncryptedValue.parse(truncated), STORE_AAD, ring))
                    .as("truncated to %d", length)
                    .isInstanceOf(StoreDecryptionException.class);
        }
    }

    @Test
    void valuesUnderTheOldKekStillDecryptAfterRotation() {
        EncryptedValue old = cipher.encrypt(canary(), STORE_AAD, ring);
        KekRing rotated = ring.rotated(T0.plus(THIRTY_DAYS), RANDOM);

        assertThat(rotated.active().keyId()).isNotEqualTo(old.kekId());
        assertThat(cipher.decrypt(old, STORE_AAD, rotated)).isEqualTo(canary());
        assertThat(cipher.encrypt(canary(), STORE_AAD, rotated).kekId()).isEqualTo(rotated.active().keyId());
    }

    @Test
    void rewrapMovesAValueToTheActiveKekWithoutTouchingItsCiphertext() {
        EncryptedValue old = cipher.encrypt(canary(), STORE_AAD, ring);
        KekRing rotated = ring.rotated(T0.plus(THIRTY_DAYS), RANDOM);

        EncryptedValue rewrapped = cipher.rewrap(old, STORE_AAD, rotated);

        assertThat(rewrapped.kekId()).isEqualTo(rotated.active().keyId());
        assertThat(rewrapped.ciphertext()).isEqualTo(old.ciphertext());
        assertThat(rewrapped.nonce()).isEqualTo(old.nonce());
        assertThat(cipher.decrypt(rewrapped, STORE_AAD, rotated.retire(old.kekId()))).isEqualTo(canary());
        assertThat(cipher.rewrap(rewrapped, STORE_AAD, rotated)).isSameAs(rewrapped);
    }

    @Test
    void anInterruptedRewrapLeavesEverythingReadableAndCanBeRestarted() {
        List<byte[]> aads = new ArrayList<>();
        List<EncryptedValue> store = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] aad = StoreAad.of("payments", "cred-" + i, "uid-" + i, "v1");
            aads.add(aad);
            store.add(cipher.encrypt(utf8("secret-" + i), aad, ring));
        }
        KekRing rotated = ring.rotated(T0.plus(THIRTY_DAYS), RANDOM);
        String oldKek = ring.active().keyId();

        // The operator restarts after rewrapping half the store.
        for (int i = 0; i < 5; i++) {
            store.set(i, cipher.rewrap(store.get(i), aads.get(i), rotated));
        }
        assertThat(store).extracting(EncryptedValue::kekId).containsOnly(oldKek, rotated.active().keyId());
        for (int i = 0; i < 10; i++) {
            assertThat(cipher.decrypt(store.get(i), aads.get(i), rotated)).isEqualTo(utf8("secret-" + i));
        }
        // Without the old KEK the not-yet-rewrapped half is unreadable: why retire waits.
        assertThat(catchThrowableOfType(StoreDecryptionException.class,
                () -> cipher.decrypt(store.get(9), aads.get(9), rotated.retire(oldKek))).reason()).isEqualTo(UNKNOWN_KEK);

        // The restarted rewrap goes over everything again; done values are left as they are.
        for (int i = 0; i < 10; i++) {
            store.set(i, cipher.rewrap(store.get(i), aads.get(i), rotated));
        }
        assertThat(store).extracting(EncryptedValue::kekId).containsOnly(rotated.active().keyId());
        KekRing retired = rotated.retire(oldKek);
        for (int i = 0; i < 10; i++) {
            assertThat(cipher.decrypt(store.get(i), aads.get(i), retired)).isEqualTo(utf8("secret-" + i));
        }
    }

    @Test
    void aRemoteKekJoinsTheRingAndItsOutageIsReportedAsUnavailable() {
        FakeRemoteKek remote = new FakeRemoteKek("aws-kms:arn:aws:kms:eu-west-1:111122223333:key/1234abcd");
        KekRing withRemote = ring.withActive(remote, T0.plus(THIRTY_DAYS));
        EncryptedValue value = cipher.encrypt(canary(), STORE_AAD, withRemote);

        assertThat(value.kekId()).isEqualTo(remote.keyId());
        assertThat(EncryptedValue.kekIdOf(value.encode())).isEqualTo(remote.keyId());
        assertThat(cipher.decrypt(EncryptedValue.parse(value.encode()), STORE_AAD, withRemote)).isEqualTo(canary());
        assertThatThrownBy(withRemote::toSecretBytes).isInstanceOf(IllegalStateException.class);

        remote.down = true;
        assertThat(catchThrowableOfType(StoreDecryptionException.class,
                () -> cipher.decrypt(value, STORE_AAD, withRemote)).reason()).isEqualTo(KEK_UNAVAILABLE);
    }

    @Test
    void aKekReturningAWrongLengthDataKeyIsRefused() {
        KeyEncryptionKey broken = new KeyEncryptionKey() {
            @Override
            public String keyId() {
                return "broken";
            }

            @Override
            public byte[] wrap(byte[] dataKey, byte[] aad) {
                return new byte[] {1};
            }

            @Override
            public byte[] unwrap(byte[] wrapped, byte[] aad) {
                return new byte[16];
            }
        };
        KekRing withBroken = KekRing.of(List.of(new KekRing.Entry(broken, T0)));
        EncryptedValue value = cipher.encrypt(canary(), STORE_AAD, withBroken);

        assertThat(catchThrowableOfType(StoreDecryptionException.class,
                () -> cipher.decrypt(value, STORE_AAD, withBroken)).reason()).isEqualTo(AUTHENTICATION_FAILED);
    }

    private static byte[] decode(String text) {
        return Base64.getUrlDecoder().decode(text.substring(EncryptedValue.PREFIX.length()));
    }

    private static String encode(byte[] layout) {
        return EncryptedValue.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(layout);
    }

    /** Stands in for a KMS-backed KEK: a local key behind a remote-looking id and an outage switch. */
    private static final class FakeRemoteKek implements KeyEncryptionKey {
        private final String id;
        private final LocalKeyEncryptionKey inner = LocalKeyEncryptionKey.generate(RANDOM);
        volatile boolean down;

        FakeRemoteKek(String id) {
            this.id = id;
        }

        @Override
        public String keyId() {
            return id;
        }

        @Override
        public byte[] wrap(byte[] dataKey, byte[] aad) {
            return inner.wrap(dataKey, aad);
        }

        @Override
        public byte[] unwrap(byte[] wrapped, byte[] aad) {
            if (down) {
                throw new StoreDecryptionException(KEK_UNAVAILABLE, "KMS Decrypt for " + id + " timed out");
            }
            return inner.unwrap(wrapped, aad);
        }
    }
}
