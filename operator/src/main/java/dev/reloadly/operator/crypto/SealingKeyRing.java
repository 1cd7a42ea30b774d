package dev.reloadly.operator.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.DUPLICATE_KEY_ID;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.INVALID_KEY;

/**
 * The sealing key pairs the operator holds: the newest seals, all of them open. Immutable; the
 * keys keep the order they were added in and the last one is the newest, so a clock that steps
 * backwards can never make an older key current again.
 */
public final class SealingKeyRing {

    /** {@code format} of the private ring stored in the operator's key Secret. */
    public static final String SECRET_FORMAT = "reloadly-sealing-keys/v1";
    /** {@code format} of the public document published in a ConfigMap for sealing clients. */
    public static final String PUBLIC_FORMAT = "reloadly-sealing-public-keys/v1";

    private static final Set<String> PUBLIC_FIELDS = Set.of("keyId", "createdAt", "publicKey");
    private static final Set<String> SECRET_FIELDS = Set.of("keyId", "createdAt", "publicKey", "privateKey");

    private final List<SealingKey> keys;
    private final Map<String, SealingKey> byId;

    private SealingKeyRing(List<SealingKey> keys) {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a sealing key ring needs at least one key");
        }
        Map<String, SealingKey> index = new LinkedHashMap<>();
        for (SealingKey key : keys) {
            Objects.requireNonNull(key, "key");
            if (index.putIfAbsent(key.keyId(), key) != null) {
                throw new IllegalArgumentException("sealing key id " + key.keyId() + " appears twice");
            }
        }
        this.keys = List.copyOf(keys);
        this.byId = Collections.unmodifiableMap(index);
    }

    /** A ring holding one freshly generated key. */
    public static SealingKeyRing generate(Instant now, SecureRandom random) {
        return new SealingKeyRing(List.of(SealingKey.generate(now, random)));
    }

    /** A ring of the given keys, oldest first; the last is the newest. */
    public static SealingKeyRing of(List<SealingKey> keys) {
        return new SealingKeyRing(keys);
    }

    /** All keys, oldest first. */
    public List<SealingKey> keys() {
        return keys;
    }

    /** The key new values are sealed to. */
    public SealingKey newest() {
        return keys.get(keys.size() - 1);
    }

    public Optional<SealingKey> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    /** When the newest key becomes due for renewal. */
    public Instant renewalDueAt(Duration renewEvery) {
        requirePositive(renewEvery);
        return newest().createdAt().plus(renewEvery);
    }

    /** Whether the newest key is at least {@code renewEvery} old at {@code now}. */
    public boolean needsRenewal(Instant now, Duration renewEvery) {
        return !now.isBefore(renewalDueAt(renewEvery));
    }

    /**
     * This ring plus one freshly generated key, which becomes the newest. Older keys stay so
     * values sealed to them (in Git, possibly for a long time) still open.
     */
    public SealingKeyRing renewed(Instant now, SecureRandom random) {
        List<SealingKey> next = new ArrayList<>(keys);
        next.add(SealingKey.generate(now, random));
        return new SealingKeyRing(next);
    }

    /** The same keys without private halves: what sealing clients get. */
    public SealingKeyRing publicOnly() {
        return new SealingKeyRing(keys.stream().map(SealingKey::publicOnly).toList());
    }

    /**
     * The public document for a ConfigMap entry:
     * {@code {"format":"reloadly-sealing-public-keys/v1","keys":[{"keyId","createdAt","publicKey"}]}},
     * oldest first, public keys in standard base64. Never contains private keys.
     */
    public String toPublicDocument() {
        byte[] json = KeyRingJson.write(PUBLIC_FORMAT, keys, (out, key) -> {
            out.writeStringField("keyId", key.keyId());
            out.writeStringField("createdAt", key.createdAt().toString());
            KeyRingJson.writeBase64(out, "publicKey", key.publicKey());
        });
        return new String(json, StandardCharsets.UTF_8);
    }

    /**
     * Parses {@link #toPublicDocument()} output into a public-only ring. A document that carries a
     * private key is refused: such a document must never have been published.
     */
    public static SealingKeyRing parsePublicDocument(String document) {
        Objects.requireNonNull(document, "document");
        List<JsonNode> entries = KeyRingJson.readEntries(document.getBytes(StandardCharsets.UTF_8),
                PUBLIC_FORMAT, PUBLIC_FIELDS, Set.of());
        List<SealingKey> keys = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = "keys[" + i + "]";
            JsonNode entry = entries.get(i);
            byte[] publicKey = KeyRingJson.base64(entry, "publicKey", where);
            requireKeyLength(publicKey, where + ".publicKey");
            SealingKey key = SealingKey.fromPublicKey(publicKey, KeyRingJson.instant(entry, "createdAt", where));
            requireStoredId(entry, key, where);
            keys.add(key);
        }
        return fromParsed(keys);
    }

    /**
     * The private ring as bytes for the operator's key Secret: JSON like the public document with
     * a {@code privateKey} (standard base64) per key. Zero the returned array after writing it.
     *
     * @throws IllegalStateException if any key in the ring is public-only
     */
    public byte[] toSecretBytes() {
        return KeyRingJson.write(SECRET_FORMAT, keys, (out, key) -> {
            byte[] privateKey = key.privateKeyCopy();
            try {
                out.writeStringField("keyId", key.keyId());
                out.writeStringField("createdAt", key.createdAt().toString());
                KeyRingJson.writeBase64(out, "publicKey", key.publicKey());
                KeyRingJson.writeBase64(out, "privateKey", privateKey);
            } finally {
                Arrays.fill(privateKey, (byte) 0);
            }
        });
    }

    /**
     * Parses {@link #toSecretBytes()} output. Every key must carry a private key whose public key
     * and key id match the stored ones, so a corrupted or hand-edited entry is refused.
     */
    public static SealingKeyRing parseSecret(byte[] secretBytes) {
        List<JsonNode> entries = KeyRingJson.readEntries(secretBytes, SECRET_FORMAT, SECRET_FIELDS, Set.of());
        List<SealingKey> keys = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = "keys[" + i + "]";
            JsonNode entry = entries.get(i);
            byte[] privateKey = KeyRingJson.base64(entry, "privateKey", where);
            try {
                requireKeyLength(privateKey, where + ".privateKey");
                SealingKey key = SealingKey.fromPrivateKey(privateKey, KeyRingJson.instant(entry, "createdAt", where));
                if (!Arrays.equals(key.publicKey(), KeyRingJson.base64(entry, "publicKey", where))) {
                    throw new KeyRingFormatException(INVALID_KEY, where + ".publicKey does not belong to its private key");
                }
                requireStoredId(entry, key, where);
                keys.add(key);
            } finally {
                Arrays.fill(privateKey, (byte) 0);
            }
        }
        return fromParsed(keys);
    }

    @Override
    public String toString() {
        return "SealingKeyRing" + keys.stream().map(SealingKey::keyId).toList();
    }

    private static SealingKeyRing fromParsed(List<SealingKey> keys) {
        Set<String> ids = new HashSet<>();
        for (SealingKey key : keys) {
            if (!ids.add(key.keyId())) {
                throw new KeyRingFormatException(DUPLICATE_KEY_ID, "sealing key id " + key.keyId() + " appears twice");
            }
        }
        return new SealingKeyRing(keys);
    }

    private static void requireStoredId(JsonNode entry, SealingKey key, String where) {
        if (!key.keyId().equals(KeyRingJson.text(entry, "keyId", where))) {
            throw new KeyRingFormatException(INVALID_KEY, where + ".keyId does not match its public key");
        }
    }

    private static void requireKeyLength(byte[] key, String where) {
        if (key.length != HpkeSuite.KEY_BYTES) {
            throw new KeyRingFormatException(INVALID_KEY, where + " must be " + HpkeSuite.KEY_BYTES
                    + " bytes, not " + key.length);
        }
    }

    private static void requirePositive(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("renewal interval must be positive");
        }
    }
}
