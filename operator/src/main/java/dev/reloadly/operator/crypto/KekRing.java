package dev.reloadly.operator.crypto;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The key-encryption keys of the envelope store: the active one wraps new data keys, all of them
 * unwrap. Immutable; keys keep the order they were added in and the last one is active.
 */
public final class KekRing {

    /** {@code format} of the ring stored in the operator's KEK Secret. */
    public static final String SECRET_FORMAT = "reloadly-kek-ring/v1";
    private static final Set<String> SECRET_FIELDS = Set.of("keyId", "createdAt", "key");
    private static final int MAX_KEY_ID_LENGTH = 255;

    /**
     * One KEK and when it was created (or, for a KMS key, first used by the operator).
     *
     * @param kek       the key
     * @param createdAt drives {@link #needsRotation}
     */
    public record Entry(KeyEncryptionKey kek, Instant createdAt) {
        public Entry {
            Objects.requireNonNull(kek, "kek");
            Objects.requireNonNull(createdAt, "createdAt");
            requireValidKeyId(kek.keyId());
        }
    }

    /** Makes the KEK a rotation adds; a KMS-backed ring makes KEKs wrapped by its plugin. */
    @FunctionalInterface
    public interface KeyFactory {
        KeyEncryptionKey generate(SecureRandom random);
    }

    private static final KeyFactory LOCAL = LocalKeyEncryptionKey::generate;

    private final List<Entry> entries;
    private final Map<String, Entry> byId;
    private final KeyFactory factory;

    private KekRing(List<Entry> entries) {
        this(entries, LOCAL);
    }

    private KekRing(List<Entry> entries, KeyFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a KEK ring needs at least one key");
        }
        Map<String, Entry> index = new LinkedHashMap<>();
        for (Entry entry : entries) {
            Objects.requireNonNull(entry, "entry");
            if (index.putIfAbsent(entry.kek().keyId(), entry) != null) {
                throw new IllegalArgumentException("KEK id " + entry.kek().keyId() + " appears twice");
            }
        }
        this.entries = List.copyOf(entries);
        this.byId = Collections.unmodifiableMap(index);
    }

    /** A ring holding one freshly generated local KEK. */
    public static KekRing generate(Instant now, SecureRandom random) {
        return new KekRing(List.of(new Entry(LocalKeyEncryptionKey.generate(random), now)));
    }

    /** A ring of the given entries, oldest first; the last is active. */
    public static KekRing of(List<Entry> entries) {
        return new KekRing(entries);
    }

    /**
     * A ring of the given entries whose {@link #rotated} adds KEKs from {@code factory}, as do the
     * rings derived from it.
     */
    public static KekRing of(List<Entry> entries, KeyFactory factory) {
        return new KekRing(entries, factory);
    }

    /** The KEK that wraps new data keys. */
    public KeyEncryptionKey active() {
        return activeEntry().kek();
    }

    public Entry activeEntry() {
        return entries.get(entries.size() - 1);
    }

    /** All entries, oldest first. */
    public List<Entry> entries() {
        return entries;
    }

    public Optional<KeyEncryptionKey> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId)).map(Entry::kek);
    }

    /** When the active KEK becomes due for rotation. */
    public Instant rotationDueAt(Duration every) {
        Objects.requireNonNull(every, "every");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("rotation interval must be positive");
        }
        return activeEntry().createdAt().plus(every);
    }

    /** Whether the active KEK is at least {@code every} old at {@code now}. */
    public boolean needsRotation(Instant now, Duration every) {
        return !now.isBefore(rotationDueAt(every));
    }

    /**
     * This ring plus a freshly generated KEK (local unless the ring was made with another
     * {@link KeyFactory}), which becomes active. The old KEKs stay until
     * {@link #retire} is called, so everything wrapped under them still decrypts while a
     * background rewrap moves values over, however often that rewrap is interrupted.
     */
    public KekRing rotated(Instant now, SecureRandom random) {
        return withActive(factory.generate(random), now);
    }

    /** This ring plus {@code kek} as the new active key; how a KMS-backed KEK joins the ring. */
    public KekRing withActive(KeyEncryptionKey kek, Instant createdAt) {
        List<Entry> next = new ArrayList<>(entries);
        next.add(new Entry(kek, createdAt));
        return new KekRing(next, factory);
    }

    /**
     * This ring without {@code keyId}. Only the caller can know that no stored value still names
     * the key (e.g. every {@link EncryptedValue#kekIdOf} of the store differs), so it must check
     * that first: a value whose KEK is retired can never be decrypted again.
     *
     * @throws IllegalArgumentException if the key is active or not in the ring
     */
    public KekRing retire(String keyId) {
        if (!byId.containsKey(keyId)) {
            throw new IllegalArgumentException("KEK " + keyId + " is not in the ring");
        }
        if (active().keyId().equals(keyId)) {
            throw new IllegalArgumentException("the active KEK " + keyId + " cannot be retired");
        }
        return new KekRing(entries.stream().filter(e -> !e.kek().keyId().equals(keyId)).toList(), factory);
    }

    /**
     * The ring as bytes for the operator's KEK Secret:
     * {@code {"format":"reloadly-kek-ring/v1","keys":[{"keyId","createdAt","key"}]}}, oldest first,
     * keys in standard base64. Zero the returned array after writing it.
     *
     * @throws IllegalStateException if the ring holds a KEK that is not a {@link LocalKeyEncryptionKey}
     */
    public byte[] toSecretBytes() {
        for (Entry entry : entries) {
            if (!(entry.kek() instanceof LocalKeyEncryptionKey)) {
                throw new IllegalStateException("KEK " + entry.kek().keyId()
                        + " is not a local key; only local KEKs are serialized into a Secret");
            }
        }
        return KeyRingJson.write(SECRET_FORMAT, entries, (out, entry) -> {
            byte[] key = ((LocalKeyEncryptionKey) entry.kek()).keyCopy();
            try {
                out.writeStringField("keyId", entry.kek().keyId());
                out.writeStringField("createdAt", entry.createdAt().toString());
                KeyRingJson.writeBase64(out, "key", key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        });
    }

    /** Parses {@link #toSecretBytes()} output; local KEKs draw nonces from the system SecureRandom. */
    public static KekRing parseSecret(byte[] secretBytes) {
        return parseSecret(secretBytes, SystemRandom.shared());
    }

    /**
     * Parses {@link #toSecretBytes()} output. Each stored key id must match the id derived from its
     * key, so a corrupted or hand-edited entry is refused rather than silently mislabelled.
     */
    public static KekRing parseSecret(byte[] secretBytes, SecureRandom random) {
        List<JsonNode> nodes = KeyRingJson.readEntries(secretBytes, SECRET_FORMAT, SECRET_FIELDS, Set.of());
        List<Entry> parsed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            String where = "keys[" + i + "]";
            JsonNode node = nodes.get(i);
            byte[] key = KeyRingJson.base64(node, "key", where);
            try {
                if (key.length != AesGcm.KEY_BYTES) {
                    throw new KeyRingFormatException(INVALID_KEY, where + ".key must be " + AesGcm.KEY_BYTES
                            + " bytes, not " + key.length);
                }
                LocalKeyEncryptionKey kek = LocalKeyEncryptionKey.of(key, random);
                if (!kek.keyId().equals(KeyRingJson.text(node, "keyId", where))) {
                    throw new KeyRingFormatException(INVALID_KEY, where + ".keyId does not match its key");
                }
                if (!ids.add(kek.keyId())) {
                    throw new KeyRingFormatException(DUPLICATE_KEY_ID, "KEK id " + kek.keyId() + " appears twice");
                }
                parsed.add(new Entry(kek, KeyRingJson.instant(node, "createdAt", where)));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return new KekRing(parsed);
    }

    @Override
    public String toString() {
        return "KekRing" + entries.stream().map(e -> e.kek().keyId()).toList() + " active=" + active().keyId();
    }

    static void requireValidKeyId(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (keyId.isEmpty() || keyId.length() > MAX_KEY_ID_LENGTH || !keyId.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new IllegalArgumentException("a KEK id must be 1 to " + MAX_KEY_ID_LENGTH
                    + " printable ASCII characters without spaces");
        }
    }
}
