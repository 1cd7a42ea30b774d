package dev.reloadly.operator.crypto;

import static dev.reloadly.operator.crypto.CryptoFixtures.CANARY;
import static dev.reloadly.operator.crypto.CryptoFixtures.RANDOM;
import static dev.reloadly.operator.crypto.CryptoFixtures.SECRET_SCOPE;
import static dev.reloadly.operator.crypto.CryptoFixtures.STORE_AAD;
import static dev.reloadly.operator.crypto.CryptoFixtures.T0;
import static dev.reloadly.operator.crypto.CryptoFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canary plaintext and key material never show up in any failure path, cause or toString. */
class SecretHygieneTest {

    @Test
    void noFailureMessageOrCauseContainsThePlaintextOrKeys() {
        Sealer sealer = new Sealer();
        EnvelopeCipher cipher = new EnvelopeCipher();
        SealingKeyRing sealingRing = SealingKeyRing.generate(T0, RANDOM);
        KekRing kekRing = KekRing.generate(T0, RANDOM);
        String sealed = sealer.seal(canary(), SECRET_SCOPE, sealingRing.newest());
        EncryptedValue stored = cipher.encrypt(canary(), STORE_AAD, kekRing);
        String sealingPrivateKey = Base64.getEncoder().encodeToString(sealingRing.newest().privateKeyCopy());
        String kek = Base64.getEncoder().encodeToString(((LocalKeyEncryptionKey) kekRing.active()).keyCopy());

        List<Throwable> failures = new ArrayList<>();
        collect(failures, () -> sealer.open(sealed, SealingScope.clientId("payments", "reloadly-prod"), sealingRing));
        collect(failures, () -> sealer.open(sealed, SECRET_SCOPE, SealingKeyRing.generate(T0, RANDOM)));
        collect(failures, () -> sealer.open(sealed.substring(0, sealed.length() - 2) + "AA", SECRET_SCOPE, sealingRing));
        collect(failures, () -> sealer.open(CANARY, SECRET_SCOPE, sealingRing));
        collect(failures, () -> sealer.open(SealedValue.PREFIX + CANARY, SECRET_SCOPE, sealingRing));
        collect(failures, () -> sealer.reseal(sealed, SealingScope.clientSecret("other", "reloadly-prod"), sealingRing));
        collect(failures, () -> cipher.decrypt(stored, new byte[0], kekRing));
        collect(failures, () -> cipher.decrypt(stored, STORE_AAD, KekRing.generate(T0, RANDOM)));
        collect(failures, () -> EncryptedValue.parse(CANARY));
        collect(failures, () -> SealingKeyRing.parseSecret(("{\"format\":\"" + CANARY + "\",\"keys\":[]}").getBytes()));
        collect(failures, () -> SealingKeyRing.parseSecret(("{\"" + CANARY + "\":1}").getBytes()));
        collect(failures, () -> SealingKeyRing.parseSecret(("{\"format\": " + CANARY + "}").getBytes()));
        collect(failures, () -> KekRing.parseSecret(("{\"format\":\"reloadly-kek-ring/v1\",\"keys\":[{\"keyId\":\"a\","
                + "\"createdAt\":\"" + CANARY + "\",\"key\":\"" + kek + "\"}]}").getBytes()));
        collect(failures, () -> SealingKeyRing.parsePublicDocument(new String(sealingRing.toSecretBytes())
                .replace(SealingKeyRing.SECRET_FORMAT, SealingKeyRing.PUBLIC_FORMAT)));

        assertThat(failures).hasSize(14);
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage()) + t)
                        .as("%s", failure.getClass().getSimpleName())
                        .doesNotContain(CANARY).doesNotContain(sealingPrivateKey).doesNotContain(kek);
            }
        }
    }

    @Test
    void toStringsNameKeyIdsOnly() {
        SealingKeyRing sealingRing = SealingKeyRing.generate(T0, RANDOM);
        KekRing kekRing = KekRing.generate(T0, RANDOM);
        String sealingPrivateKey = Base64.getEncoder().encodeToString(sealingRing.newest().privateKeyCopy());
        String kek = Base64.getEncoder().encodeToString(((LocalKeyEncryptionKey) kekRing.active()).keyCopy());
        EncryptedValue stored = new EnvelopeCipher().encrypt(canary(), STORE_AAD, kekRing);
        SealedValue sealed = SealedValue.parse(new Sealer().seal(canary(), SECRET_SCOPE, sealingRing.newest()));

        for (Object o : List.of(sealingRing, sealingRing.newest(), kekRing, kekRing.activeEntry(), stored, sealed)) {
            assertThat(o.toString()).doesNotContain(CANARY).doesNotContain(sealingPrivateKey).doesNotContain(kek);
        }
    }

    private static void collect(List<Throwable> failures, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
