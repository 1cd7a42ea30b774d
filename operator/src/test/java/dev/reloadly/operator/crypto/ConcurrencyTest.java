package dev.reloadly.operator.crypto;

import static dev.reloadly.operator.crypto.CryptoFixtures.RANDOM;
import static dev.reloadly.operator.crypto.CryptoFixtures.T0;
import static dev.reloadly.operator.crypto.CryptoFixtures.THIRTY_DAYS;
import static dev.reloadly.operator.crypto.CryptoFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shared sealers, ciphers, rings and fingerprinters used from 8 threads at once all round trip. */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 50;

    @Test
    void sealingAndOpeningFromManyThreadsRoundTrips() throws Exception {
        Sealer sealer = new Sealer();
        SealingKeyRing ring = SealingKeyRing.generate(T0, RANDOM).renewed(T0.plus(THIRTY_DAYS), RANDOM);

        runConcurrently(thread -> {
            for (int round = 0; round < ROUNDS; round++) {
                SealingScope scope = SealingScope.clientSecret("ns-" + thread, "cred-" + round);
                byte[] plaintext = utf8("secret-" + thread + "-" + round);
                SealingKey key = ring.keys().get(round % 2);
                String sealed = sealer.seal(plaintext, scope, key);
                assertThat(sealer.open(sealed, scope, ring)).isEqualTo(plaintext);
                assertThat(SealedValue.keyIdOf(sealer.reseal(sealed, scope, ring))).isEqualTo(ring.newest().keyId());
            }
        });
    }

    @Test
    void encryptingDecryptingAndRewrappingFromManyThreadsRoundTrips() throws Exception {
        EnvelopeCipher cipher = new EnvelopeCipher();
        KekRing ring = KekRing.generate(T0, RANDOM);
        KekRing rotated = ring.rotated(T0.plus(THIRTY_DAYS), RANDOM);
        CredentialFingerprinter fingerprinter = new CredentialFingerprinter(CredentialFingerprinter.generateKey(RANDOM));
        String expectedFingerprint = fingerprinter.fingerprint(utf8("id"), utf8("secret"));

        runConcurrently(thread -> {
            for (int round = 0; round < ROUNDS; round++) {
                byte[] aad = StoreAad.of("ns-" + thread, "cred", "uid-" + round, "v" + round);
                byte[] plaintext = utf8("version-" + thread + "-" + round);
                EncryptedValue value = cipher.encrypt(plaintext, aad, ring);
                assertThat(cipher.decrypt(value, aad, rotated)).isEqualTo(plaintext);
                EncryptedValue rewrapped = cipher.rewrap(EncryptedValue.parse(value.encode()), aad, rotated);
                assertThat(cipher.decrypt(rewrapped, aad, rotated)).isEqualTo(plaintext);
                assertThat(fingerprinter.fingerprint(utf8("id"), utf8("secret"))).isEqualTo(expectedFingerprint);
            }
        });
    }

    private interface PerThread {
        void run(int thread) throws Exception;
    }

    private static void runConcurrently(PerThread work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<Void> task = () -> {
                    start.await();
                    work.run(thread);
                    return null;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Void> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
