package dev.reloadly.operator.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;

import static dev.reloadly.operator.crypto.SealedValueException.Reason.AUTHENTICATION_FAILED;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.UNKNOWN_KEY;

/**
 * Seals values so they can live in Git and opens them inside the operator: HPKE (RFC 9180)
 * mode_base with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-256-GCM, bound to a
 * {@link SealingScope}. Stateless apart from the randomness source; safe to share between threads.
 */
public final class Sealer {

    /** Client ids and secrets are short; the cap keeps a sealed value well inside one YAML field. */
    public static final int MAX_PLAINTEXT_BYTES = 8 * 1024;

    private final SecureRandom random;

    /** A sealer drawing ephemeral keys from the system's non-blocking SecureRandom. */
    public Sealer() {
        this(SystemRandom.shared());
    }

    /** A sealer drawing the 32-byte ephemeral-key seed of every seal from {@code random}. */
    public Sealer(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Seals {@code plaintext} to {@code recipient}'s public key for {@code scope}. Every call uses a
     * fresh ephemeral key, so sealing the same value twice gives different strings.
     *
     * @return {@code rlsealed:v1:...}
     */
    public String seal(byte[] plaintext, SealingScope scope, SealingKey recipient) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(recipient, "recipient");
        if (plaintext.length > MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("plaintext is longer than " + MAX_PLAINTEXT_BYTES + " bytes");
        }
        byte[] header = SealedValue.header(recipient.keyId());
        HPKE hpke = HpkeSuite.newHpke();
        // The ephemeral key comes from RFC 9180 DeriveKeyPair over our own random seed rather than
        // BC's internal generator, so the randomness source is the injected one.
        byte[] ikm = new byte[HpkeSuite.IKM_BYTES];
        random.nextBytes(ikm);
        try {
            AsymmetricCipherKeyPair ephemeral = hpke.deriveKeyPair(ikm);
            HPKEContextWithEncapsulation context = setupSender(hpke, recipient, header, ephemeral);
            byte[] ciphertext = context.seal(scope.associatedData(), plaintext);
            return new SealedValue(recipient.keyId(), header, context.getEncapsulation(), ciphertext).encode();
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("HPKE seal failed", e);
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    /**
     * Opens a sealed value for {@code scope} with whichever key of {@code ring} it names. The
     * caller owns, and should zero, the returned plaintext.
     *
     * @throws SealedValueException MALFORMED, UNSUPPORTED_VERSION, UNSUPPORTED_SUITE, UNKNOWN_KEY
     *                              or AUTHENTICATION_FAILED (wrong scope, wrong key, tampering)
     */
    public byte[] open(String sealed, SealingScope scope, SealingKeyRing ring) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(ring, "ring");
        SealedValue value = SealedValue.parse(sealed);
        SealingKey key = ring.find(value.keyId()).orElseThrow(() -> new SealedValueException(UNKNOWN_KEY,
                "sealed value names sealing key " + value.keyId() + ", which is not in the key ring"));
        if (!key.hasPrivateKey()) {
            throw new SealedValueException(UNKNOWN_KEY,
                    "the key ring holds only the public half of sealing key " + value.keyId());
        }
        try {
            HPKEContext context = HpkeSuite.newHpke().setupBaseR(value.enc(), key.keyPair(), value.header());
            return context.open(scope.associatedData(), value.ciphertext());
        } catch (InvalidCipherTextException | IllegalStateException | IllegalArgumentException e) {
            // BC refuses a low-order enc with IllegalStateException. Which check failed is
            // deliberately not distinguished (no oracle), and no cause is kept.
            throw new SealedValueException(AUTHENTICATION_FAILED, "sealed value does not open with sealing key "
                    + value.keyId() + " for " + describe(scope) + ": wrong scope, wrong key, or modified");
        }
    }

    /**
     * Opens a sealed value with any key of the ring and seals it again to the newest key, for
     * moving values off old keys. A value already sealed to the newest key is checked to open and
     * returned unchanged, so resealing is idempotent and does not churn Git diffs.
     */
    public String reseal(String sealed, SealingScope scope, SealingKeyRing ring) {
        byte[] plaintext = open(sealed, scope, ring);
        try {
            if (SealedValue.keyIdOf(sealed).equals(ring.newest().keyId())) {
                return sealed.strip();
            }
            return seal(plaintext, scope, ring.newest());
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static HPKEContextWithEncapsulation setupSender(HPKE hpke, SealingKey recipient, byte[] header,
                                                            AsymmetricCipherKeyPair ephemeral) {
        try {
            return hpke.setupBaseS(recipient.publicKeyParameters(), header, ephemeral);
        } catch (IllegalStateException e) {
            // X25519 agreement with a low-order public key yields zero; BC refuses it.
            throw new IllegalArgumentException("sealing key " + recipient.keyId() + " is not a usable X25519 public key");
        }
    }

    // Scope names are not secret; naming them makes a cross-namespace copy easy to diagnose.
    private static String describe(SealingScope scope) {
        return scope.namespace() + "/" + scope.credentialName() + " " + scope.field();
    }
}
