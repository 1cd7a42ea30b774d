package dev.reloadly.operator.bench;

import dev.reloadly.operator.crypto.SealingKeyRing;
import java.security.SecureRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * For contrast only: generating a sealing key ring (an X25519 key pair). This happens at install
 * and on key renewal, never in a reconcile.
 */
@State(Scope.Benchmark)
public class KeyGenerationBenchmark {

    private final SecureRandom random = new SecureRandom();

    @Benchmark
    public SealingKeyRing generateSealingKeyRing() {
        return SealingKeyRing.generate(BenchValues.T0, random);
    }
}
