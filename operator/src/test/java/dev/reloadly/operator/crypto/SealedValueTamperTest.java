package dev.reloadly.operator.crypto;

import static dev.reloadly.operator.crypto.CryptoFixtures.RANDOM;
import static dev.reloadly.operator.crypto.CryptoFixtures.SECRET_SCOPE;
import static dev.reloadly.operator.crypto.CryptoFixtures.T0;
import static dev.reloadly.operator.crypto.CryptoFixtures.THIRTY_DAYS;
import static dev.reloadly.operator.crypto.CryptoFixtures.canary;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.AUTHENTICATION_FAILED;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.MALFORMED;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.UNKNOWN_KEY;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.UNSUPPORTED_SUITE;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.UNSUPPORTED_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Flips every bit of every region of a sealed value's binary layout and expects a refusal. */
class SealedValueTamperTest {

    /** Regions of the v1 layout for a 16-character key id, and the reasons a flip there may give. */
    enum Region {
        VERSION(0, 1, EnumSet.of(UNSUPPORTED_VERSION)),
        SUITE(1, 7, EnumSet.of(UNSUPPORTED_SUITE)),
        // A changed length shifts the key id into enc: non-hex bytes, or hex naming no key.
        KEY_ID_LENGTH(7, 8, EnumSet.of(MALFORMED, UNKNOWN_KEY)),
        KEY_ID(8, 24, EnumSet.of(MALFORMED, UNKNOWN_KEY)),
        ENC(24, 56, EnumSet.of(AUTHENTICATION_FAILED)),
        CIPHERTEXT(56, -16, EnumSet.of(AUTHENTICATION_FAILED)),
        TAG(-16, 0, EnumSet.of(AUTHENTICATION_FAILED));

        final int from;
        final int to;
        final Set<SealedValueException.Reason> reasons;

        Region(int from, int to, Set<SealedValueException.Reason> reasons) {
            this.from = from;
            this.to = to;
            this.reasons = reasons;
        }

        int start(int length) {
            return from < 0 ? length + from : from;
        }

        int end(int length) {
            return to <= 0 ? length + to : to;
        }
    }

    // Two keys, so a key-id flip can never land on "the only key" by accident.
    private final SealingKeyRing ring = SealingKeyRing.generate(T0, RANDOM).renewed(T0.plus(THIRTY_DAYS), RANDOM);
    private final Sealer sealer = new Sealer();

    @ParameterizedTest
    @EnumSource(Region.class)
    void flippingAnyBitInTheRegionIsRefused(Region region) {
        String sealed = sealer.seal(canary(), SECRET_SCOPE, ring.newest());
        byte[] layout = decode(sealed);
        assertThat(region.end(layout.length)).isGreaterThan(region.start(layout.length));

        for (int i = region.start(layout.length); i < region.end(layout.length); i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = layout.clone();
                tampered[i] ^= (byte) (1 << bit);
                SealedValueException e = catchThrowableOfType(SealedValueException.class,
                        () -> sealer.open(encode(tampered), SECRET_SCOPE, ring));
                assertThat(e).as("%s byte %d bit %d", region, i, bit).isNotNull();
                assertThat(e.reason()).as("%s byte %d bit %d", region, i, bit).isIn(region.reasons);
                assertThat(e.getMessage()).doesNotContain(CryptoFixtures.CANARY);
            }
        }
    }

    @Test
    void theRegionsCoverTheWholeLayout() {
        int length = decode(sealer.seal(canary(), SECRET_SCOPE, ring.newest())).length;
        int covered = 0;
        for (Region region : Region.values()) {
            assertThat(region.start(length)).isEqualTo(covered);
            covered = region.end(length);
        }
        assertThat(covered).isEqualTo(length);
    }

    @Test
    void droppingOrAppendingAByteIsRefused() {
        byte[] layout = decode(sealer.seal(canary(), SECRET_SCOPE, ring.newest()));
        byte[] shorter = Arrays.copyOf(layout, layout.length - 1);
        byte[] longer = Arrays.copyOf(layout, layout.length + 1);

        assertThat(catchThrowableOfType(SealedValueException.class, () -> sealer.open(encode(shorter), SECRET_SCOPE, ring)).reason())
                .isEqualTo(AUTHENTICATION_FAILED);
        assertThat(catchThrowableOfType(SealedValueException.class, () -> sealer.open(encode(longer), SECRET_SCOPE, ring)).reason())
                .isEqualTo(AUTHENTICATION_FAILED);
    }

    @Test
    void aLayoutCutInsideTheHeaderOrEncIsMalformed() {
        byte[] layout = decode(sealer.seal(canary(), SECRET_SCOPE, ring.newest()));
        // Anything shorter than header + enc + tag cannot be a sealed value at all.
        for (int length = 1; length < 24 + 32 + 16; length++) {
            byte[] cut = Arrays.copyOf(layout, length);
            assertThat(catchThrowableOfType(SealedValueException.class, () -> sealer.open(encode(cut), SECRET_SCOPE, ring)).reason())
                    .as("cut to %d bytes", length).isEqualTo(MALFORMED);
        }
    }

    @Test
    void aLowOrderEncIsRefusedAsAuthenticationFailure() {
        byte[] layout = decode(sealer.seal(canary(), SECRET_SCOPE, ring.newest()));
        // u = 0 and u = 1 are small-order X25519 points; the DH output would be all zeros.
        for (byte first : new byte[] {0, 1}) {
            byte[] tampered = layout.clone();
            Arrays.fill(tampered, 24, 56, (byte) 0);
            tampered[24] = first;
            assertThat(catchThrowableOfType(SealedValueException.class, () -> sealer.open(encode(tampered), SECRET_SCOPE, ring)).reason())
                    .isEqualTo(AUTHENTICATION_FAILED);
        }
    }

    private static byte[] decode(String sealed) {
        return Base64.getUrlDecoder().decode(sealed.substring(SealedValue.PREFIX.length()));
    }

    private static String encode(byte[] layout) {
        return SealedValue.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(layout);
    }
}
