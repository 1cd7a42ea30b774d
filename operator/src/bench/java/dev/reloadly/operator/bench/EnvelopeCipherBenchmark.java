package dev.reloadly.operator.bench;

import dev.reloadly.operator.crypto.EncryptedValue;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.StoreAad;
import java.security.SecureRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Envelope encryption of one store value (a 49-byte client secret) under a local KEK. */
@State(Scope.Benchmark)
public class EnvelopeCipherBenchmark {

    private final EnvelopeCipher cipher = new EnvelopeCipher();
    private final byte[] secret = BenchValues.utf8(BenchValues.CLIENT_SECRET);
    private final byte[] aad = StoreAad.of(BenchValues.NAMESPACE, BenchValues.NAME, BenchValues.UID,
            "hmac-sha256:0123456789abcdef0123456789abcdef", "client-secret");
    private KekRing ring;
    private KekRing rotated;
    private EncryptedValue encrypted;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        ring = KekRing.generate(BenchValues.T0, random);
        // The value stays under the old KEK, so every rewrap really unwraps and wraps again.
        rotated = ring.rotated(BenchValues.T0.plusSeconds(60), random);
        encrypted = cipher.encrypt(secret, aad, ring);
    }

    @Benchmark
    public EncryptedValue encrypt() {
        return cipher.encrypt(secret, aad, ring);
    }

    @Benchmark
    public byte[] decrypt() {
        return cipher.decrypt(encrypted, aad, ring);
    }

    @Benchmark
    public EncryptedValue rewrap() {
        return cipher.rewrap(encrypted, aad, rotated);
    }
}
