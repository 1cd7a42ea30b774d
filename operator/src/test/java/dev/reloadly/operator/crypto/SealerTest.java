package dev.reloadly.operator.crypto;

import static dev.reloadly.operator.crypto.CryptoFixtures.RANDOM;
import static dev.reloadly.operator.crypto.CryptoFixtures.SECRET_SCOPE;
import static dev.reloadly.operator.crypto.CryptoFixtures.T0;
import static dev.reloadly.operator.crypto.CryptoFixtures.THIRTY_DAYS;
import static dev.reloadly.operator.crypto.CryptoFixtures.canary;
import static dev.reloadly.operator.crypto.CryptoFixtures.utf8;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.AUTHENTICATION_FAILED;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.MALFORMED;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.UNKNOWN_KEY;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.UNSUPPORTED_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SealerTest {

    private final Sealer sealer = new Sealer();
    private final SealingKeyRing ring = SealingKeyRing.generate(T0, RANDOM);

    @Test
    void sealedValueOpensToThePlaintext() {
        String sealed = sealer.seal(utf8("client-secret-value"), SECRET_SCOPE, ring.newest());

        assertThat(sealed).startsWith("rlsealed:v1:");
        assertThat(sealer.open(sealed, SECRET_SCOPE, ring)).isEqualTo(utf8("client-secret-value"));
    }

    @Test
    void emptyBinaryAndMaximumSizePlaintextsRoundTrip() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        byte[] largest = new byte[Sealer.MAX_PLAINTEXT_BYTES];
        RANDOM.nextBytes(largest);
        for (byte[] plaintext : List.of(new byte[0], binary, largest)) {
            String sealed = sealer.seal(plaintext, SECRET_SCOPE, ring.newest());
            assertThat(sealer.open(sealed, SECRET_SCOPE, ring)).isEqualTo(plaintext);
        }
    }

    @Test
    void refusesPlaintextOverTheCap() {
        assertThatThrownBy(() -> sealer.seal(new byte[Sealer.MAX_PLAINTEXT_BYTES + 1], SECRET_SCOPE, ring.newest()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sealingTheSameValueTwiceGivesDifferentStrings() {
        assertThat(sealer.seal(canary(), SECRET_SCOPE, ring.newest()))
                .isNotEqualTo(sealer.seal(canary(), SECRET_SCOPE, ring.newest()));
    }

    @Test
    void aPublicOnlyKeySealsForTheFullRingToOpen() {
        SealingKeyRing published = SealingKeyRing.parsePublicDocument(ring.toPublicDocument());

        String sealed = sealer.seal(canary(), SECRET_SCOPE, published.newest());

        assertThat(sealer.open(sealed, SECRET_SCOPE, ring)).isEqualTo(canary());
    }

    @Test
    void surroundingWhitespaceFromYamlIsIgnored() {
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.newest());

        assertThat(sealer.open("  " + sealed + "\n", SECRET_SCOPE, ring)).isEqualTo(canary());
    }

    static Stream<SealingScope> otherScopes() {
        return Stream.of(
                SealingScope.clientSecret("payments-staging", "reloadly-prod"), // cross-namespace
                SealingScope.clientSecret("payments", "reloadly-other"),        // cross-name
                SealingScope.clientId("payments", "reloadly-prod"),             // cross-field
                SealingScope.clientSecret("paymentsr", "eloadly-prod"));        // boundary shift
    }

    @ParameterizedTest
    @MethodSource("otherScopes")
    void aValueCopiedToAnyOtherScopeDoesNotOpen(SealingScope other) {
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.newest());

        SealedValueException e = catchThrowableOfType(SealedValueException.class, () -> sealer.open(sealed, other, ring));

        assertThat(e.reason()).isEqualTo(AUTHENTICATION_FAILED);
    }

    @Test
    void aValueForAKeyNotInTheRingIsUnknownKey() {
        SealingKeyRing otherRing = SealingKeyRing.generate(T0, RANDOM);
        String sealed = sealer.seal(canary(), SECRET_SCOPE, otherRing.newest());

        SealedValueException e = catchThrowableOfType(SealedValueException.class, () -> sealer.open(sealed, SECRET_SCOPE, ring));

        assertThat(e.reason()).isEqualTo(UNKNOWN_KEY);
        assertThat(e.getMessage()).contains(otherRing.newest().keyId());
    }

    @Test
    void aPublicOnlyRingCannotOpen() {
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.newest());

        SealedValueException e = catchThrowableOfType(SealedValueException.class,
                () -> sealer.open(sealed, SECRET_SCOPE, ring.publicOnly()));

        assertThat(e.reason()).isEqualTo(UNKNOWN_KEY);
    }

    @Test
    void aValueWhoseKeyIdWasSwappedForAnotherRingKeyDoesNotOpen() {
        SealingKeyRing renewed = ring.renewed(T0.plus(THIRTY_DAYS), RANDOM);
        String sealed = sealer.seal(canary(), SECRET_SCOPE, renewed.keys().get(0));
        byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(SealedValue.PREFIX.length()));
        byte[] otherId = renewed.newest().keyId().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(otherId, 0, bytes, 8, otherId.length);
        String relabelled = SealedValue.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        SealedValueException e = catchThrowableOfType(SealedValueException.class,
                () -> sealer.open(relabelled, SECRET_SCOPE, renewed));

        assertThat(e.reason()).isEqualTo(AUTHENTICATION_FAILED);
    }

    static Stream<Arguments> garbage() {
        String valid = new Sealer().seal(canary(), SECRET_SCOPE, SealingKeyRing.generate(T0, RANDOM).newest());
        String body = valid.substring(SealedValue.PREFIX.length());
        return Stream.of(
                Arguments.of("null", null, MALFORMED),
                Arguments.of("empty", "", MALFORMED),
                Arguments.of("blank", "   \n", MALFORMED),
                Arguments.of("plaintext pasted instead of a sealed value", CryptoFixtures.CANARY, MALFORMED),
                Arguments.of("prefix only", SealedValue.PREFIX, MALFORMED),
                Arguments.of("not base64", SealedValue.PREFIX + "!!!!", MALFORMED),
                Arguments.of("standard-alphabet character", SealedValue.PREFIX + body.substring(0, 10) + "+" + body.substring(11), MALFORMED),
                Arguments.of("padded", SealedValue.PREFIX + body + "=", MALFORMED),
                Arguments.of("space inside", SealedValue.PREFIX + body.substring(0, 10) + " " + body.substring(10), MALFORMED),
                Arguments.of("other prefix", "sealed:v1:" + body, MALFORMED),
                Arguments.of("upper-case prefix", "RLSEALED:V1:" + body, MALFORMED),
                Arguments.of("future text version", "rlsealed:v2:" + body, UNSUPPORTED_VERSION),
                Arguments.of("too long", SealedValue.PREFIX + "A".repeat(SealedValue.MAX_TEXT_LENGTH), MALFORMED),
                Arguments.of("canary as body", SealedValue.PREFIX + CryptoFixtures.CANARY, MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageIsRefusedWithTheRightReason(String description, String input, SealedValueException.Reason reason) {
        SealedValueException e = catchThrowableOfType(SealedValueException.class, () -> sealer.open(input, SECRET_SCOPE, ring));

        assertThat(e.reason()).isEqualTo(reason);
        if (input != null && !input.isBlank()) {
            assertThat(e.getMessage()).doesNotContain(CryptoFixtures.CANARY).doesNotContain(input.strip());
        }
    }

    @Test
    void everyTruncationOfAValidValueIsRefused() {
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.newest());
        for (int length = 0; length < sealed.length(); length++) {
            String truncated = sealed.substring(0, length);
            assertThatThrownBy(() -> sealer.open(truncated, SECRET_SCOPE, ring))
                    .as("truncated to %d characters", length)
                    .isInstanceOf(SealedValueException.class)
                    .satisfies(e -> assertThat(((SealedValueException) e).reason()).isIn(MALFORMED, AUTHENTICATION_FAILED));
        }
    }

    @Test
    void aNonCanonicalSpellingOfTheLastBase64CharacterIsRefused() {
        // 99 body bytes: the last base64 character carries 2 unused bits that the JDK would ignore.
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.newest());
        char last = sealed.charAt(sealed.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int index = alphabet.indexOf(last);
        String sibling = sealed.substring(0, sealed.length() - 1) + alphabet.charAt(index ^ 1);

        assertThatThrownBy(() -> sealer.open(sibling, SECRET_SCOPE, ring)).isInstanceOf(SealedValueException.class);
    }

    @Test
    void valuesSealedToARenewedAwayKeyStillOpen() {
        String old = sealer.seal(canary(), SECRET_SCOPE, ring.newest());
        SealingKeyRing renewed = ring.renewed(T0.plus(THIRTY_DAYS), RANDOM).renewed(T0.plus(THIRTY_DAYS.multipliedBy(2)), RANDOM);

        assertThat(renewed.newest().keyId()).isNotEqualTo(ring.newest().keyId());
        assertThat(sealer.open(old, SECRET_SCOPE, renewed)).isEqualTo(canary());
    }

    @Test
    void resealMovesAValueToTheNewestKey() {
        String old = sealer.seal(canary(), SECRET_SCOPE, ring.newest());
        SealingKeyRing renewed = ring.renewed(T0.plus(THIRTY_DAYS), RANDOM);

        String resealed = sealer.reseal(old, SECRET_SCOPE, renewed);

        assertThat(SealedValue.keyIdOf(old)).isEqualTo(ring.newest().keyId());
        assertThat(SealedValue.keyIdOf(resealed)).isEqualTo(renewed.newest().keyId());
        assertThat(sealer.open(resealed, SECRET_SCOPE, renewed)).isEqualTo(canary());
    }

    @Test
    void resealLeavesAValueOnTheNewestKeyUnchanged() {
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.newest());

        assertThat(sealer.reseal(sealed + "\n", SECRET_SCOPE, ring)).isEqualTo(sealed);
    }

    @Test
    void resealRefusesAValueThatDoesNotOpenForTheScope() {
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.newest());
        SealingKeyRing renewed = ring.renewed(T0.plus(THIRTY_DAYS), RANDOM);

        assertThatThrownBy(() -> sealer.reseal(sealed, SealingScope.clientId("payments", "reloadly-prod"), renewed))
                .isInstanceOf(SealedValueException.class);
    }

    @Test
    void keyIdOfReadsTheKeyWithoutAnyPrivateKey() {
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.publicOnly().newest());

        assertThat(SealedValue.keyIdOf(sealed)).isEqualTo(ring.newest().keyId());
        assertThat(SealedValue.parse(sealed).toString()).contains(ring.newest().keyId()).doesNotContain(CryptoFixtures.CANARY);
    }
}
