package dev.reloadly.operator.crypto.kms;

import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.DUPLICATE_KEY_ID;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.INVALID_KEY;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.MALFORMED;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.UNSUPPORTED_FORMAT;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reloadly.operator.crypto.KekProvider;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.KekUnavailableException;
import dev.reloadly.operator.crypto.KeyEncryptionKey;
import dev.reloadly.operator.crypto.KeyRingFormatException;
import dev.reloadly.operator.crypto.KeyRingJson;
import dev.reloadly.operator.crypto.LocalKeyEncryptionKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KEKs protected by a Kubernetes KMS v2 plugin, the way the kube-apiserver protects its own data
 * keys: each ring entry is a local AES-256 key that the plugin encrypted, and the key Secret holds
 * only that ciphertext with the plugin's key id and annotations. Each entry is decrypted once (at
 * start, or when it joins the ring), so wrap and unwrap stay local. A new KMS key id in Status, or
 * an active KEK that was once stored in the clear, asks for a new active KEK; the re-wrap pass of
 * key maintenance then moves stored values over.
 */
public final class KmsV2KekProvider implements KekProvider {
  /** {@code format} of the KMS-wrapped ring in the key Secret. */
  public static final String SECRET_FORMAT = "reloadly-kek-ring/kms-v2";
  private static final Set<String> FIELDS = Set.of("keyId", "createdAt", "kmsKeyId", "ciphertext");
  private static final Set<String> OPTIONAL_FIELDS = Set.of("annotations", "storedInClearBefore");
  private static final Set<String> LOCAL_FIELDS = Set.of("keyId", "createdAt", "key");
  private static final int KEY_BYTES = 32;
  private static final Logger LOG = LoggerFactory.getLogger(KmsV2KekProvider.class);

  private final KmsV2Plugin plugin;
  private final KmsHealth health;
  private final SecureRandom random;
  /** Entries already decrypted, by KEK id: reading the Secret again costs no Decrypt. */
  private final Map<String, KmsKek> known = new ConcurrentHashMap<>();

  private KmsV2KekProvider(KmsV2Plugin plugin, Clock clock, Duration recheck, SecureRandom random) {
    this.plugin = plugin;
    this.health = new KmsHealth(plugin, clock, recheck);
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Connects to the plugin and asks its Status once, so an operator whose plugin is down or
   * unhealthy refuses to start rather than serve from keys it cannot keep.
   *
   * @param recheck how long a Status answer is trusted before wrapping new data asks again, and
   *     how long new versions wait before trying again while the plugin is down
   * @throws KekUnavailableException naming the socket and what failed
   */
  public static KmsV2KekProvider start(KmsV2Plugin plugin, Clock clock, Duration recheck,
      SecureRandom random) {
    KmsV2KekProvider provider = new KmsV2KekProvider(plugin, clock, recheck, random);
    KmsV2Plugin.Status status = provider.health.check();
    LOG.info("KMS v2 plugin at {} is healthy: version {}, key id {}", plugin.address(),
        status.version(), status.keyId());
    return provider;
  }

  @Override
  public String describe() {
    return "KMS v2 plugin at " + plugin.address();
  }

  @Override
  public KekRing generate(Instant now, SecureRandom ignored) {
    return KekRing.of(List.of(new KekRing.Entry(newKek(random), now)), this::newKek);
  }

  /** A fresh local key, encrypted by the plugin under its current key. */
  private KeyEncryptionKey newKek(SecureRandom unused) {
    health.requireHealthy();
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    try {
      KmsKek kek = new KmsKek(LocalKeyEncryptionKey.of(key, random), plugin.encrypt(key), false,
          health);
      known.put(kek.keyId(), kek);
      return kek;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public byte[] toSecretBytes(KekRing ring) {
    for (KekRing.Entry entry : ring.entries()) {
      if (!(entry.kek() instanceof KmsKek)) {
        throw new IllegalStateException("KEK " + entry.kek().keyId()
            + " is not wrapped by the KMS plugin; it is never written into the Secret");
      }
    }
    return KeyRingJson.write(SECRET_FORMAT, ring.entries(), (json, entry) -> {
      KmsKek kek = (KmsKek) entry.kek();
      KmsV2Plugin.Ciphertext wrapped = kek.wrapped();
      json.writeStringField("keyId", kek.keyId());
      json.writeStringField("createdAt", entry.createdAt().toString());
      json.writeStringField("kmsKeyId", wrapped.keyId());
      KeyRingJson.writeBase64(json, "ciphertext", wrapped.ciphertext());
      if (!wrapped.annotations().isEmpty()) {
        json.writeObjectFieldStart("annotations");
        for (String name : wrapped.annotations().keySet().stream().sorted().toList()) {
          KeyRingJson.writeBase64(json, name, wrapped.annotations().get(name));
        }
        json.writeEndObject();
      }
      if (kek.storedInClearBefore()) {
        json.writeBooleanField("storedInClearBefore", true);
      }
    });
  }

  /**
   * Reads the KMS-wrapped ring, asking the plugin to decrypt entries it has not seen yet. A ring
   * of local KEKs (an install moving to KMS) is read too: each key is encrypted by the plugin and
   * marked as once stored in the clear, so {@link #rotationRequired} replaces it.
   */
  @Override
  public KekRing parseSecret(byte[] secretBytes) {
    String format = KeyRingJson.format(secretBytes);
    if (KekRing.SECRET_FORMAT.equals(format)) {
      return fromLocal(secretBytes);
    }
    if (!SECRET_FORMAT.equals(format)) {
      throw new KeyRingFormatException(UNSUPPORTED_FORMAT, "the KEK ring is in neither the \""
          + SECRET_FORMAT + "\" nor the \"" + KekRing.SECRET_FORMAT + "\" format");
    }
    List<JsonNode> nodes = KeyRingJson.readEntries(secretBytes, SECRET_FORMAT, FIELDS,
        OPTIONAL_FIELDS);
    List<KekRing.Entry> entries = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      String where = "keys[" + i + "]";
      JsonNode node = nodes.get(i);
      String keyId = KeyRingJson.text(node, "keyId", where);
      if (!ids.add(keyId)) {
        throw new KeyRingFormatException(DUPLICATE_KEY_ID, "KEK id " + keyId + " appears twice");
      }
      KmsV2Plugin.Ciphertext wrapped = new KmsV2Plugin.Ciphertext(
          KeyRingJson.base64(node, "ciphertext", where), KeyRingJson.text(node, "kmsKeyId", where),
          annotations(node, where));
      boolean inClearBefore = flag(node, "storedInClearBefore", where);
      entries.add(new KekRing.Entry(open(keyId, wrapped, inClearBefore, where),
          KeyRingJson.instant(node, "createdAt", where)));
    }
    return KekRing.of(entries, this::newKek);
  }

  /**
   * The ring as local KEKs, for an install moving back from the KMS plugin to local keys: the
   * plugin decrypts each entry one last time.
   */
  public KekRing parseSecretAsLocal(byte[] secretBytes) {
    KekRing ring = parseSecret(secretBytes);
    return KekRing.of(ring.entries().stream()
        .map(e -> new KekRing.Entry(((KmsKek) e.kek()).local(), e.createdAt())).toList());
  }

  @Override
  public boolean inOwnFormat(byte[] secretBytes) {
    return SECRET_FORMAT.equals(KeyRingJson.format(secretBytes));
  }

  @Override
  public boolean rotationRequired(KekRing ring) {
    KmsV2Plugin.Status status;
    try {
      status = health.check();
    } catch (KekUnavailableException e) {
      return false;
    }
    KeyEncryptionKey active = ring.active();
    if (!(active instanceof KmsKek kek)) {
      LOG.info("the active KEK {} is not wrapped by the KMS plugin: a new one replaces it",
          active.keyId());
      return true;
    }
    if (kek.storedInClearBefore()) {
      LOG.info("the active KEK {} was stored in the clear before the move to the KMS plugin:"
          + " a new one replaces it", kek.keyId());
      return true;
    }
    if (!kek.wrapped().keyId().equals(status.keyId())) {
      LOG.info("the KMS plugin's key id changed from {} to {}: a new KEK wrapped under it"
          + " becomes active", kek.wrapped().keyId(), status.keyId());
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    plugin.close();
  }

  private KmsKek open(String keyId, KmsV2Plugin.Ciphertext wrapped, boolean inClearBefore,
      String where) {
    KmsKek cached = known.get(keyId);
    if (cached != null && cached.wrapped().sameAs(wrapped)) {
      return cached;
    }
    byte[] key = plugin.decrypt(wrapped);
    try {
      if (key.length != KEY_BYTES) {
        throw new KeyRingFormatException(INVALID_KEY, where + " decrypts to " + key.length
            + " bytes, not " + KEY_BYTES);
      }
      LocalKeyEncryptionKey local = LocalKeyEncryptionKey.of(key, random);
      if (!local.keyId().equals(keyId)) {
        throw new KeyRingFormatException(INVALID_KEY, where + ".keyId does not match its key");
      }
      KmsKek kek = new KmsKek(local, wrapped, inClearBefore, health);
      known.put(keyId, kek);
      return kek;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** A ring of local KEKs, each now encrypted by the plugin and marked as once in the clear. */
  private KekRing fromLocal(byte[] secretBytes) {
    KekRing local = KekRing.parseSecret(secretBytes, random);
    List<JsonNode> nodes = KeyRingJson.readEntries(secretBytes, KekRing.SECRET_FORMAT, LOCAL_FIELDS,
        Set.of());
    List<KekRing.Entry> entries = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      byte[] key = KeyRingJson.base64(nodes.get(i), "key", "keys[" + i + "]");
      try {
        KekRing.Entry entry = local.entries().get(i);
        KmsKek kek = new KmsKek(LocalKeyEncryptionKey.of(key, random), plugin.encrypt(key), true,
            health);
        entries.add(new KekRing.Entry(kek, entry.createdAt()));
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
    return KekRing.of(entries, this::newKek);
  }

  private static Map<String, byte[]> annotations(JsonNode node, String where) {
    JsonNode annotations = node.get("annotations");
    if (annotations == null) {
      return Map.of();
    }
    if (!annotations.isObject()) {
      throw new KeyRingFormatException(MALFORMED, where + ".annotations must be an object");
    }
    Map<String, byte[]> result = new HashMap<>();
    for (Iterator<String> names = annotations.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      JsonNode value = annotations.get(name);
      if (!value.isTextual()) {
        throw new KeyRingFormatException(MALFORMED, where + ".annotations values must be base64");
      }
      try {
        result.put(name, Base64.getDecoder().decode(value.textValue()));
      } catch (IllegalArgumentException e) {
        throw new KeyRingFormatException(MALFORMED, where + ".annotations values must be base64");
      }
    }
    return result;
  }

  private static boolean flag(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new KeyRingFormatException(MALFORMED, where + "." + field + " must be true or false");
    }
    return value.booleanValue();
  }
}
