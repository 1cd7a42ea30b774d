package dev.reloadly.operator.bench;

import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import java.security.SecureRandom;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The store Secret's per-reconcile cost for a credential with two live versions (current and
 * previous): reading it back and opening versions, and writing it when a new version arrives.
 */
@State(Scope.Benchmark)
public class StoredVersionsBenchmark {

    private StoredVersions.Crypto crypto;
    private String previous;
    private String current;
    private CredentialMaterial currentMaterial;
    private StoredVersions withPrevious;
    private VersionLedger ledgerWithBoth;
    private Map<String, String> data;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        crypto = new StoredVersions.Crypto(
                new StoredVersions.Binding(BenchValues.NAMESPACE, BenchValues.NAME, BenchValues.UID),
                new EnvelopeCipher(), KekRing.generate(BenchValues.T0, random));
        CredentialFingerprinter fingerprinter = new CredentialFingerprinter(CredentialFingerprinter.generateKey(random));
        CredentialMaterial previousMaterial = material(BenchValues.CLIENT_SECRET);
        currentMaterial = material(BenchValues.NEXT_CLIENT_SECRET);
        previous = fingerprinter.fingerprint(previousMaterial.clientId(), previousMaterial.clientSecret());
        current = fingerprinter.fingerprint(currentMaterial.clientId(), currentMaterial.clientSecret());

        VersionLedger ledgerWithPrevious = VersionLedger.empty()
                .offer(previous, BenchValues.T0).promote(previous, BenchValues.T0);
        withPrevious = StoredVersions.empty().withLedger(ledgerWithPrevious)
                .withValue(previous, previousMaterial, crypto);
        ledgerWithBoth = ledgerWithPrevious
                .offer(current, BenchValues.T0.plusSeconds(3600)).promote(current, BenchValues.T0.plusSeconds(3600));
        data = withPrevious.withLedger(ledgerWithBoth).withValue(current, currentMaterial, crypto).toData();
        if (data.size() != 5 || StoredVersions.parse(data).open(previous, crypto).isEmpty()) {
            throw new IllegalStateException("the benchmark store should hold a ledger and two versions");
        }
    }

    /** A new version arrives: encrypt its two fields (two DEKs, two KEK wraps) and serialize. */
    @Benchmark
    public Map<String, String> addVersionAndSerialize() {
        return withPrevious.withLedger(ledgerWithBoth).withValue(current, currentMaterial, crypto).toData();
    }

    /** Parse the Secret data and open the current version: what serving from the store costs. */
    @Benchmark
    public void parseAndOpenCurrent(Blackhole blackhole) {
        try (CredentialMaterial material = StoredVersions.parse(data).open(current, crypto).orElseThrow()) {
            blackhole.consume(material.clientSecret());
        }
    }

    /** Parse and open both versions: the upper bound for one reconcile of this store. */
    @Benchmark
    public void parseAndOpenBoth(Blackhole blackhole) {
        StoredVersions store = StoredVersions.parse(data);
        try (CredentialMaterial a = store.open(current, crypto).orElseThrow();
             CredentialMaterial b = store.open(previous, crypto).orElseThrow()) {
            blackhole.consume(a.clientSecret());
            blackhole.consume(b.clientSecret());
        }
    }

    /** Parse only (JSON ledger, no crypto): separates the bookkeeping from the decryption. */
    @Benchmark
    public StoredVersions parseOnly() {
        return StoredVersions.parse(data);
    }

    private static CredentialMaterial material(String secret) {
        return new CredentialMaterial(BenchValues.CLIENT_ID.toCharArray(), secret.toCharArray());
    }
}
