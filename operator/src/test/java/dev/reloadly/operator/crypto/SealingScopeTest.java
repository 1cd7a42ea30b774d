package dev.reloadly.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SealingScopeTest {

    @Test
    void associatedDataIsTheDocumentedLengthPrefixedEncoding() {
        assertThat(HexFormat.of().formatHex(SealingScope.clientSecret("payments", "reloadly-prod").associatedData()))
                .isEqualTo("0012" + hex("reloadly-sealed-v1") + "0008" + hex("payments") + "000d" + hex("reloadly-prod")
                        + "000c" + hex("clientSecret"));
    }

    @Test
    void shiftingABoundaryBetweenFieldsChangesTheBytes() {
        assertThat(new SealingScope("ab", "c", "clientId").associatedData())
                .isNotEqualTo(new SealingScope("a", "bc", "clientId").associatedData());
    }

    @Test
    void everyComponentChangesTheBytes() {
        byte[] base = SealingScope.clientId("ns", "cred").associatedData();
        assertThat(SealingScope.clientId("ns2", "cred").associatedData()).isNotEqualTo(base);
        assertThat(SealingScope.clientId("ns", "cred2").associatedData()).isNotEqualTo(base);
        assertThat(SealingScope.clientSecret("ns", "cred").associatedData()).isNotEqualTo(base);
    }

    @Test
    void refusesUnknownFieldsAndEmptyNames() {
        assertThatThrownBy(() -> new SealingScope("ns", "cred", "password")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SealingScope.clientId("", "cred")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SealingScope.clientId("ns", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SealingScope.clientId("ns", "x".repeat(254))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SealingScope.clientId(null, "cred")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesTextThatCannotBeEncodedLosslessly() {
        assertThatThrownBy(() -> SealingScope.clientId("ns\uD800", "cred").associatedData())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
