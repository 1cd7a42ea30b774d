package dev.reloadly.operator.crypto;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Where the KEK ring's own protection comes from: how it is generated, written into the operator's
 * key Secret and read back. {@link LocalKekProvider} writes the key bytes themselves;
 * {@code kms.KmsV2KekProvider} writes only what a KMS v2 plugin encrypted. Thread-safe.
 */
public interface KekProvider extends AutoCloseable {

    /** For logs and errors: "local" or the plugin's socket. */
    String describe();

    /** The ring of a first start. */
    KekRing generate(Instant now, SecureRandom random);

    /** The ring as bytes for the key Secret; the caller zeroes them. */
    byte[] toSecretBytes(KekRing ring);

    /**
     * Reads {@link #toSecretBytes} output, and whatever other format this provider can migrate
     * from.
     *
     * @throws KekUnavailableException if a KMS needed to read it did not answer
     * @throws KeyRingFormatException if the bytes are damaged or in a format it cannot read
     */
    KekRing parseSecret(byte[] secretBytes);

    /** False when {@code secretBytes} are readable but in another format: write them again now. */
    boolean inOwnFormat(byte[] secretBytes);

    /**
     * True when the provider needs a new active KEK in {@code ring}, e.g. the KMS rotated its key
     * or the active KEK was once stored in the clear. Never throws; a KMS it cannot ask says no.
     */
    boolean rotationRequired(KekRing ring);

    @Override
    void close();
}
