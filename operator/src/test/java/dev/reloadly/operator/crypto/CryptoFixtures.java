package dev.reloadly.operator.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/** Shared values for the crypto tests: a start instant, a random source, scopes and a canary. */
final class CryptoFixtures {

    /** A plaintext that must never appear in any message, toString or encoded form. */
    static final String CANARY = "CANARY-s3cr3t-7f1e";
    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    static final Duration THIRTY_DAYS = Duration.ofDays(30);
    static final SecureRandom RANDOM = new SecureRandom();

    static final SealingScope SECRET_SCOPE = SealingScope.clientSecret("payments", "reloadly-prod");
    static final byte[] STORE_AAD = StoreAad.of("payments", "reloadly-prod", "0d9c3c7e-1111-4a4a-9b9b-0123456789ab", "hmac-sha256:0123456789abcdef0123456789abcdef");

    private CryptoFixtures() {
    }

    static byte[] canary() {
        return CANARY.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
