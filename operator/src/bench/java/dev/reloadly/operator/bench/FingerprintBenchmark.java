package dev.reloadly.operator.bench;

import dev.reloadly.operator.crypto.CredentialFingerprinter;
import java.security.SecureRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The keyed fingerprint every reconcile computes for the offered client id and secret. */
@State(Scope.Benchmark)
public class FingerprintBenchmark {

    private final char[] clientId = BenchValues.CLIENT_ID.toCharArray();
    private final char[] clientSecret = BenchValues.CLIENT_SECRET.toCharArray();
    private CredentialFingerprinter fingerprinter;

    @Setup
    public void setUp() {
        fingerprinter = new CredentialFingerprinter(CredentialFingerprinter.generateKey(new SecureRandom()));
    }

    @Benchmark
    public String fingerprint() {
        return fingerprinter.fingerprint(clientId, clientSecret);
    }
}
