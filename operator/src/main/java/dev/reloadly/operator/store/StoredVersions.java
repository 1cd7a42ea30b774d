package dev.reloadly.operator.store;

import dev.reloadly.operator.crypto.EncryptedValue;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.StoreAad;
import dev.reloadly.operator.crypto.StoreMac;
import dev.reloadly.operator.lifecycle.LedgerJson;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.source.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of a credential's store Secret: the version ledger (no secrets) and each live
 * version's client ID and secret, envelope-encrypted with associated data binding namespace,
 * name, uid, version and field. Pure: no Kubernetes I/O.
 *
 * <p>The ledger is authenticated by a MAC ({@link StoreMac}) over it and the store's generation,
 * which grows with every write of the ledger: an edited ledger, or an old copy of the Secret
 * written back, is recognised. The values need no MAC: each is AEAD-encrypted and bound to its
 * version. A key re-wrap keeps ledger, generation and MAC byte for byte.
 */
public final class StoredVersions {
  public static final String COMPONENT = "store";
  static final String LEDGER = "ledger.json";
  static final String LEDGER_MAC = "ledger.mac";
  static final String GENERATION = "generation";
  static final String CLIENT_ID = "client-id";
  static final String CLIENT_SECRET = "client-secret";

  private final VersionLedger ledger;
  private final Map<String, String> values;
  private final long generation;
  /** The ledger's JSON exactly as read or signed; null once the ledger changed. */
  private final String ledgerText;
  private final String mac;

  private StoredVersions(VersionLedger ledger, Map<String, String> values, long generation,
      String ledgerText, String mac) {
    this.ledger = ledger;
    this.values = Map.copyOf(values);
    this.generation = generation;
    this.ledgerText = ledgerText;
    this.mac = mac;
  }

  private StoredVersions(VersionLedger ledger, Map<String, String> values) {
    this(ledger, values, 0, null, null);
  }

  public static StoredVersions empty() {
    return new StoredVersions(VersionLedger.empty(), Map.of());
  }

  /**
   * Reads the Secret's data map without judging it (see {@link #authenticity}); a damaged ledger
   * throws IllegalArgumentException.
   */
  public static StoredVersions parse(Map<String, String> data) {
    if (data == null || !data.containsKey(LEDGER)) {
      return empty();
    }
    Map<String, String> values = new HashMap<>();
    data.forEach((key, value) -> {
      if (!key.equals(LEDGER) && !key.equals(LEDGER_MAC) && !key.equals(GENERATION)) {
        values.put(key, envelope(key, text(value)));
      }
    });
    String ledgerText = text(data.get(LEDGER));
    long generation = 0;
    if (data.containsKey(GENERATION)) {
      try {
        generation = Long.parseLong(text(data.get(GENERATION)).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the store generation is not a number");
      }
    }
    return new StoredVersions(LedgerJson.read(ledgerText), values, generation, ledgerText,
        data.containsKey(LEDGER_MAC) ? text(data.get(LEDGER_MAC)) : null);
  }

  /** Whether the ledger is as the operator wrote it, for this credential and generation. */
  public enum Authenticity {
    /** MAC present and valid. */
    AUTHENTIC,
    /** No MAC: written by an operator before the ledger had one, or stripped. */
    UNSIGNED,
    /** MAC present and wrong: the ledger, generation or binding was changed. */
    FORGED
  }

  public Authenticity authenticity(StoreMac storeMac, Binding binding) {
    if (mac == null) {
      return Authenticity.UNSIGNED;
    }
    return ledgerText != null && storeMac.verifies(binding.namespace(), binding.name(),
        binding.uid(), generation, ledgerText, mac) ? Authenticity.AUTHENTIC : Authenticity.FORGED;
  }

  /** How many times the ledger was written; 0 for a store without one. */
  public long generation() {
    return generation;
  }

  public boolean signed() {
    return mac != null;
  }

  /** This content as generation {@code next}, its ledger under a fresh MAC. */
  public StoredVersions signed(StoreMac storeMac, Binding binding, long next) {
    String text = LedgerJson.write(ledger);
    return new StoredVersions(ledger, values, next, text,
        storeMac.tag(binding.namespace(), binding.name(), binding.uid(), next, text));
  }

  /** Same ledger and values, whatever the generation and MAC. */
  public boolean sameContentAs(StoredVersions other) {
    return unsignedData().equals(other.unsignedData());
  }

  public static String secretName(String credentialName) {
    return credentialName + "-reloadly-store";
  }

  public VersionLedger ledger() {
    return ledger;
  }

  /** The Secret data map: the ledger plus the values of the versions the ledger still keeps. */
  public Map<String, String> toData() {
    Map<String, String> data = unsignedData();
    if (mac != null) {
      data.put(LEDGER_MAC, base64(mac));
      data.put(GENERATION, base64(Long.toString(generation)));
    }
    return data;
  }

  private Map<String, String> unsignedData() {
    Map<String, String> data = new HashMap<>();
    data.put(LEDGER, base64(ledgerText != null ? ledgerText : LedgerJson.write(ledger)));
    List<String> live = ledger.fingerprintsWithValues();
    values.forEach((key, value) -> {
      if (live.stream().anyMatch(fp -> key.startsWith(prefix(fp)))) {
        data.put(key, base64(value));
      }
    });
    return data;
  }

  /** A changed ledger drops the MAC: it must be signed again before it is written. */
  public StoredVersions withLedger(VersionLedger next) {
    if (next.equals(ledger)) {
      return this;
    }
    return new StoredVersions(next, values, generation, null, null);
  }

  public boolean hasValue(String fingerprint) {
    return values.containsKey(key(fingerprint, CLIENT_SECRET));
  }

  /** Adds the encrypted value of a version, each field under its own data key. */
  public StoredVersions withValue(String fingerprint, CredentialMaterial material, Crypto crypto) {
    Binding binding = crypto.binding();
    EnvelopeCipher cipher = crypto.cipher();
    KekRing keks = crypto.keks();
    Map<String, String> next = new HashMap<>(values);
    next.put(key(fingerprint, CLIENT_ID), encrypt(material.clientId(), binding, fingerprint,
        CLIENT_ID, cipher, keks));
    next.put(key(fingerprint, CLIENT_SECRET), encrypt(material.clientSecret(), binding,
        fingerprint, CLIENT_SECRET, cipher, keks));
    return new StoredVersions(ledger, next, generation, ledgerText, mac);
  }

  /** Decrypts a version; empty when the store does not hold it. */
  public Optional<CredentialMaterial> open(String fingerprint, Crypto crypto) {
    Binding binding = crypto.binding();
    EnvelopeCipher cipher = crypto.cipher();
    KekRing keks = crypto.keks();
    String id = values.get(key(fingerprint, CLIENT_ID));
    String secret = values.get(key(fingerprint, CLIENT_SECRET));
    if (id == null || secret == null) {
      return Optional.empty();
    }
    char[] clientId = decrypt(id, binding, fingerprint, CLIENT_ID, cipher, keks);
    return Optional.of(new CredentialMaterial(clientId,
        decrypt(secret, binding, fingerprint, CLIENT_SECRET, cipher, keks)));
  }

  /** Re-wraps every value under the active KEK; unchanged values stay byte-identical. */
  public StoredVersions rewrapped(Crypto crypto) {
    return rekeyed(crypto, java.util.Set.of());
  }

  /**
   * Moves every value to the active KEK: values under a KEK of {@code reencryptUnder} get a new
   * data key and nonce (a suspected KEK compromise), the others are re-wrapped. A value already
   * under the active KEK stays byte-identical, so an interrupted pass resumes where it stopped.
   */
  public StoredVersions rekeyed(Crypto crypto, java.util.Set<String> reencryptUnder) {
    Binding binding = crypto.binding();
    String active = crypto.keks().active().keyId();
    Map<String, String> next = new HashMap<>();
    values.forEach((key, value) -> {
      String fingerprint = fingerprintOf(key);
      String field = key.substring(key.lastIndexOf('.') + 1);
      EncryptedValue parsed = EncryptedValue.parse(value);
      byte[] aad = StoreAad.of(binding.namespace(), binding.name(), binding.uid(), fingerprint,
          field);
      EncryptedValue moved = !parsed.kekId().equals(active) && reencryptUnder.contains(parsed.kekId())
          ? crypto.cipher().reencrypt(parsed, aad, crypto.keks())
          : crypto.cipher().rewrap(parsed, aad, crypto.keks());
      next.put(key, moved == parsed ? value : moved.encode());
    });
    return new StoredVersions(ledger, next, generation, ledgerText, mac);
  }

  /** KEK ids the stored values are wrapped under. */
  public java.util.Set<String> kekIds() {
    return values.values().stream().map(EncryptedValue::kekIdOf)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** The credential a store belongs to, bound into every value's associated data. */
  public record Binding(String namespace, String name, String uid) {}

  /** What encrypting and decrypting one credential's values needs. */
  public record Crypto(Binding binding, EnvelopeCipher cipher, KekRing keks) {}

  private String fingerprintOf(String key) {
    return ledger.versions().stream().map(v -> v.fingerprint())
        .filter(fp -> key.startsWith(prefix(fp))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("store key " + key
            + " belongs to no version in the ledger"));
  }

  private static String encrypt(char[] value, Binding b, String fingerprint, String field,
      EnvelopeCipher cipher, KekRing keks) {
    byte[] plain = SecretBytes.charsToUtf8(value);
    try {
      return cipher.encrypt(plain, StoreAad.of(b.namespace(), b.name(), b.uid(), fingerprint, field),
          keks).encode();
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static char[] decrypt(String value, Binding b, String fingerprint, String field,
      EnvelopeCipher cipher, KekRing keks) {
    byte[] plain = cipher.decrypt(EncryptedValue.parse(value),
        StoreAad.of(b.namespace(), b.name(), b.uid(), fingerprint, field), keks);
    try {
      char[] chars = SecretBytes.utf8ToChars(plain);
      if (chars == null) {
        throw new IllegalStateException("stored " + field + " of " + fingerprint + " is not UTF-8");
      }
      return chars;
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Found by fuzzing: a value that is not an envelope value (an entry added or edited by hand)
   * parsed, and then every reconcile threw reading its KEK id (kekIds) outside any catch. Refused
   * here it is a damaged store, reported as StoreDamaged with nothing changed.
   */
  private static String envelope(String key, String value) {
    try {
      EncryptedValue.kekIdOf(value);
      return value;
    } catch (dev.reloadly.operator.crypto.StoreDecryptionException e) {
      throw new IllegalArgumentException("store entry " + key + " is not an encrypted value ("
          + e.reason() + ")");
    }
  }

  /** Secret data is base64; the values inside are ciphertext and JSON, never clear secrets. */
  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a store entry is not base64");
    }
  }

  /** Data keys may hold only [-._a-zA-Z0-9]: the fingerprint's hex part names the version. */
  static String prefix(String fingerprint) {
    return "v-" + fingerprint.substring(fingerprint.indexOf(':') + 1) + ".";
  }

  static String key(String fingerprint, String field) {
    return prefix(fingerprint) + field;
  }
}
