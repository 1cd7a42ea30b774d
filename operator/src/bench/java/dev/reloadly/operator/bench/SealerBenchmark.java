package dev.reloadly.operator.bench;

import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import java.security.SecureRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * HPKE sealing and opening of one 49-byte client secret. The operator opens two sealed values
 * (client id and secret) per reconcile of a Git-sourced credential; sealing happens on users' machines.
 */
@State(Scope.Benchmark)
public class SealerBenchmark {

    private final Sealer sealer = new Sealer();
    private final SealingScope scope = SealingScope.clientSecret(BenchValues.NAMESPACE, BenchValues.NAME);
    private final byte[] secret = BenchValues.utf8(BenchValues.CLIENT_SECRET);
    private SealingKeyRing ring;
    private String sealed;

    @Setup
    public void setUp() {
        ring = SealingKeyRing.generate(BenchValues.T0, new SecureRandom());
        sealed = sealer.seal(secret, scope, ring.newest());
    }

    @Benchmark
    public String seal() {
        return sealer.seal(secret, scope, ring.newest());
    }

    @Benchmark
    public byte[] open() {
        return sealer.open(sealed, scope, ring);
    }
}
