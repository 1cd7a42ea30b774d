package dev.reloadly.operator.crypto;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The default: KEKs as raw key bytes in the key Secret, so an etcd backup of that Secret opens
 * every store. With a reader for a KMS-wrapped ring it also reads one back, which is how an
 * install moves from a KMS plugin back to local keys (docs/runbooks/kms-migration.md).
 */
public final class LocalKekProvider implements KekProvider {

    private final Optional<Function<byte[], KekRing>> foreignReader;
    private final Runnable onClose;

    /** Local KEKs only. */
    public LocalKekProvider() {
        this(Optional.empty(), () -> { });
    }

    /**
     * @param foreignReader reads a ring in another format into a ring of
     *                      {@link LocalKeyEncryptionKey}s, e.g. a KMS plugin unwrapping its ring
     * @param onClose       releases what the reader holds
     */
    public LocalKekProvider(Optional<Function<byte[], KekRing>> foreignReader, Runnable onClose) {
        this.foreignReader = Objects.requireNonNull(foreignReader, "foreignReader");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    @Override
    public String describe() {
        return "local";
    }

    @Override
    public KekRing generate(Instant now, SecureRandom random) {
        return KekRing.generate(now, random);
    }

    @Override
    public byte[] toSecretBytes(KekRing ring) {
        return ring.toSecretBytes();
    }

    @Override
    public KekRing parseSecret(byte[] secretBytes) {
        if (inOwnFormat(secretBytes)) {
            return KekRing.parseSecret(secretBytes);
        }
        if (foreignReader.isEmpty()) {
            String format = KeyRingJson.format(secretBytes);
            // kms.KmsV2KekProvider.SECRET_FORMAT; crypto does not depend on crypto.kms.
            if ("reloadly-kek-ring/kms-v2".equals(format)) {
                throw new KeyRingFormatException(KeyRingFormatException.Reason.UNSUPPORTED_FORMAT,
                        "the KEK ring is wrapped by a KMS v2 plugin, and no plugin socket was"
                                + " given to open it: run with --kek-provider kms-v2 --kms-socket PATH"
                                + " (or with local and --kms-socket to move back to local keys)");
            }
            return KekRing.parseSecret(secretBytes);
        }
        return foreignReader.get().apply(secretBytes);
    }

    @Override
    public boolean inOwnFormat(byte[] secretBytes) {
        return KekRing.SECRET_FORMAT.equals(KeyRingJson.format(secretBytes));
    }

    @Override
    public boolean rotationRequired(KekRing ring) {
        return false;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
