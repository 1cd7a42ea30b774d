package dev.reloadly.operator.crypto;

import static dev.reloadly.operator.crypto.CryptoFixtures.RANDOM;
import static dev.reloadly.operator.crypto.CryptoFixtures.SECRET_SCOPE;
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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SealingKeyRingTest {

    private final SealingKeyRing ring = SealingKeyRing.generate(T0, RANDOM);

    @Test
    void keyIdIsTheFirstEightBytesOfTheSha256OfThePublicKey() throws Exception {
        SealingKey key = ring.newest();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.publicKey());

        assertThat(key.keyId()).isEqualTo(HexFormat.of().formatHex(digest, 0, 8)).hasSize(16);
        assertThat(key.publicOnly().keyId()).isEqualTo(key.keyId());
    }

    @Test
    void needsRenewalExactlyWhenTheNewestKeyReachesTheInterval() {
        assertThat(ring.needsRenewal(T0, THIRTY_DAYS)).isFalse();
        assertThat(ring.needsRenewal(T0.plus(THIRTY_DAYS).minusSeconds(1), THIRTY_DAYS)).isFalse();
        assertThat(ring.needsRenewal(T0.plus(THIRTY_DAYS), THIRTY_DAYS)).isTrue();
        assertThat(ring.renewalDueAt(THIRTY_DAYS)).isEqualTo(T0.plus(THIRTY_DAYS));
        assertThatThrownBy(() -> ring.needsRenewal(T0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void renewalAddsANewestKeyAndKeepsTheOldOnes() {
        SealingKeyRing renewed = ring.renewed(T0.plus(THIRTY_DAYS), RANDOM);

        assertThat(renewed.keys()).hasSize(2);
        assertThat(renewed.keys().get(0).keyId()).isEqualTo(ring.newest().keyId());
        assertThat(renewed.newest().createdAt()).isEqualTo(T0.plus(THIRTY_DAYS));
        assertThat(renewed.find(ring.newest().keyId())).isPresent();
        assertThat(renewed.needsRenewal(T0.plus(THIRTY_DAYS), THIRTY_DAYS)).isFalse();
    }

    @Test
    void aKeyAddedWhileTheClockStepsBackIsStillTheNewest() {
        SealingKeyRing renewed = ring.renewed(T0.minusSeconds(3600), RANDOM);

        assertThat(renewed.newest().keyId()).isNotEqualTo(ring.newest().keyId());
        assertThat(renewed.newest().createdAt()).isEqualTo(T0.minusSeconds(3600));
    }

    @Test
    void publicOnlyDropsEveryPrivateKey() {
        SealingKeyRing published = ring.renewed(T0.plus(THIRTY_DAYS), RANDOM).publicOnly();

        assertThat(published.keys()).noneMatch(SealingKey::hasPrivateKey);
        assertThatThrownBy(published::toSecretBytes).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void thePublicDocumentRoundTripsAndHoldsNoPrivateKey() {
        SealingKeyRing renewed = ring.renewed(T0.plus(THIRTY_DAYS), RANDOM);

        String document = renewed.toPublicDocument();
        SealingKeyRing parsed = SealingKeyRing.parsePublicDocument(document);

        assertThat(document).contains(SealingKeyRing.PUBLIC_FORMAT).doesNotContain("privateKey");
        assertThat(parsed.keys()).extracting(SealingKey::keyId).containsExactly(
                renewed.keys().get(0).keyId(), renewed.keys().get(1).keyId());
        assertThat(parsed.keys()).extracting(SealingKey::createdAt).containsExactly(T0, T0.plus(THIRTY_DAYS));
        assertThat(parsed.newest().publicKey()).isEqualTo(renewed.newest().publicKey());
        assertThat(parsed.keys()).noneMatch(SealingKey::hasPrivateKey);
    }

    @Test
    void theSecretRoundTripsAndStillOpensOldValues() {
        Sealer sealer = new Sealer();
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.newest());
        SealingKeyRing renewed = ring.renewed(T0.plus(THIRTY_DAYS), RANDOM);

        SealingKeyRing parsed = SealingKeyRing.parseSecret(renewed.toSecretBytes());

        assertThat(parsed.keys()).extracting(SealingKey::keyId)
                .containsExactlyElementsOf(renewed.keys().stream().map(SealingKey::keyId).toList());
        assertThat(parsed.newest().keyId()).isEqualTo(renewed.newest().keyId());
        assertThat(sealer.open(sealed, SECRET_SCOPE, parsed)).isEqualTo(canary());
    }

    @Test
    void toStringShowsKeyIdsOnly() throws Exception {
        byte[] secret = ring.toSecretBytes();
        String privateKey = Base64.getEncoder().encodeToString(ring.newest().privateKeyCopy());

        assertThat(ring.toString()).contains(ring.newest().keyId()).doesNotContain(privateKey);
        assertThat(ring.newest().toString()).doesNotContain(privateKey);
        assertThat(new String(secret, StandardCharsets.UTF_8)).contains(privateKey);
    }

    @Test
    void refusesDuplicateKeysAndEmptyRings() {
        assertThatThrownBy(() -> SealingKeyRing.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SealingKeyRing.of(List.of(ring.newest(), ring.newest().publicOnly())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SealingKey.fromPublicKey(new byte[31], T0)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> badSecrets() {
        SealingKeyRing ring = SealingKeyRing.generate(T0, RANDOM);
        SealingKeyRing other = SealingKeyRing.generate(T0, RANDOM);
        String good = new String(ring.toSecretBytes(), StandardCharsets.UTF_8);
        String otherGood = new String(other.toSecretBytes(), StandardCharsets.UTF_8);
        String entry = good.substring(good.indexOf('{', 1), good.lastIndexOf('}', good.lastIndexOf(']')) + 1);
        String publicKey = Base64.getEncoder().encodeToString(ring.newest().publicKey());
        String otherPublicKey = Base64.getEncoder().encodeToString(other.newest().publicKey());
        String privateKey = Base64.getEncoder().encodeToString(ring.newest().privateKeyCopy());
        return Stream.of(
                Arguments.of("empty", "", MALFORMED),
                Arguments.of("not JSON", "not json at all " + CryptoFixtures.CANARY, MALFORMED),
                Arguments.of("truncated JSON", good.substring(0, good.length() / 2), MALFORMED),
                Arguments.of("trailing garbage", good + " {}", MALFORMED),
                Arguments.of("array", "[]", MALFORMED),
                Arguments.of("no format", "{\"keys\":[]}", MALFORMED),
                Arguments.of("public format", good.replace(SealingKeyRing.SECRET_FORMAT, SealingKeyRing.PUBLIC_FORMAT), UNSUPPORTED_FORMAT),
                Arguments.of("future format", good.replace("/v1", "/v2"), UNSUPPORTED_FORMAT),
                Arguments.of("no keys", "{\"format\":\"" + SealingKeyRing.SECRET_FORMAT + "\",\"keys\":[]}", EMPTY),
                Arguments.of("unknown top-level field", good.replaceFirst("\\{", "{\"extra\":1,"), MALFORMED),
                Arguments.of("duplicate field", good.replaceFirst("\\{", "{\"format\":\"x\","), MALFORMED),
                Arguments.of("unknown entry field", good.replace("\"keyId\"", "\"" + CryptoFixtures.CANARY + "\":1,\"keyId\""), MALFORMED),
                Arguments.of("missing private key", good.replaceAll(",\\s*\"privateKey\"\\s*:\\s*\"[^\"]*\"", ""), MALFORMED),
                Arguments.of("private key not base64", good.replace(privateKey, "!!" + CryptoFixtures.CANARY), MALFORMED),
                Arguments.of("private key too short", good.replace(privateKey, Base64.getEncoder().encodeToString(new byte[16])), INVALID_KEY),
                Arguments.of("public key of another key", good.replace(publicKey, otherPublicKey), INVALID_KEY),
                Arguments.of("key id of another key", good.replace(ring.newest().keyId(), other.newest().keyId()), INVALID_KEY),
                Arguments.of("createdAt not a time", good.replace(T0.toString(), "yesterday"), MALFORMED),
                Arguments.of("keys not an array", "{\"format\":\"" + SealingKeyRing.SECRET_FORMAT + "\",\"keys\":{}}", MALFORMED),
                Arguments.of("entry not an object", "{\"format\":\"" + SealingKeyRing.SECRET_FORMAT + "\",\"keys\":[1]}", MALFORMED),
                Arguments.of("duplicate key", good.replace(entry, entry + "," + entry), DUPLICATE_KEY_ID),
                Arguments.of("other ring is fine", otherGood, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSecrets")
    void parsingAMangledSecretFailsWithTheRightReason(String description, String document, KeyRingFormatException.Reason reason) {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        if (reason == null) {
            assertThat(SealingKeyRing.parseSecret(bytes).keys()).hasSize(1);
            return;
        }
        KeyRingFormatException e = catchThrowableOfType(KeyRingFormatException.class, () -> SealingKeyRing.parseSecret(bytes));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).doesNotContain(CryptoFixtures.CANARY);
        assertThat(e.getCause()).isNull();
    }

    @Test
    void aPublicDocumentCarryingAPrivateKeyIsRefused() {
        String leaked = new String(ring.toSecretBytes(), StandardCharsets.UTF_8)
                .replace(SealingKeyRing.SECRET_FORMAT, SealingKeyRing.PUBLIC_FORMAT);

        KeyRingFormatException e = catchThrowableOfType(KeyRingFormatException.class,
                () -> SealingKeyRing.parsePublicDocument(leaked));

        assertThat(e.reason()).isEqualTo(MALFORMED);
        assertThat(e.getMessage()).doesNotContain(Base64.getEncoder().encodeToString(ring.newest().privateKeyCopy()));
    }

    @Test
    void aPublicDocumentWithABadKeyIsRefused() {
        String document = ring.toPublicDocument();
        String publicKey = Base64.getEncoder().encodeToString(ring.newest().publicKey());

        assertThat(catchThrowableOfType(KeyRingFormatException.class, () -> SealingKeyRing.parsePublicDocument(
                document.replace(publicKey, Base64.getEncoder().encodeToString(new byte[33])))).reason()).isEqualTo(INVALID_KEY);
        assertThat(catchThrowableOfType(KeyRingFormatException.class, () -> SealingKeyRing.parsePublicDocument(
                document.replace(ring.newest().keyId(), "0000000000000000"))).reason()).isEqualTo(INVALID_KEY);
        assertThat(catchThrowableOfType(KeyRingFormatException.class, () -> SealingKeyRing.parsePublicDocument(
                "garbage")).reason()).isEqualTo(MALFORMED);
    }
}
