package dev.reloadly.operator.compromise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The operator-wide set of compromised credential fingerprints, as held in Secret
 * {@value #SECRET}: one data entry per fingerprint with when and where it was reported. Holds no
 * secret: fingerprints are HMACs under the operator's fingerprint key, which is what makes them
 * match across credentials, namespaces and re-creations. Pure: no Kubernetes I/O.
 */
public final class DenyList {
  public static final String SECRET = "reloadly-compromised-versions";
  public static final String COMPONENT = "deny-list";
  public static final String COMPONENT_LABEL = "security.reloadly.dev/component";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where and when a fingerprint was reported; never the reason text or any secret. */
  public record Entry(String reportedAt, String credential) {
    public static Entry of(Instant at, String namespace, String name) {
      return new Entry(at.toString(), namespace + "/" + name);
    }
  }

  private final Map<String, Entry> entries;

  private DenyList(Map<String, Entry> entries) {
    this.entries = Map.copyOf(entries);
  }

  public static DenyList empty() {
    return new DenyList(Map.of());
  }

  /**
   * Reads a Secret's data map. Entries that are not fingerprints are skipped; an entry whose
   * detail cannot be read still counts, so damage never un-lists a version.
   */
  public static DenyList parse(Map<String, String> data) {
    Map<String, Entry> entries = new HashMap<>();
    if (data != null) {
      data.forEach((key, value) -> fingerprintOf(key).ifPresent(fp ->
          entries.put(fp, entry(value))));
    }
    return new DenyList(entries);
  }

  public boolean contains(String fingerprint) {
    return fingerprint != null && entries.containsKey(fingerprint);
  }

  public Set<String> fingerprints() {
    return entries.keySet();
  }

  public DenyList with(Map<String, Entry> added) {
    Map<String, Entry> next = new HashMap<>(entries);
    added.forEach(next::putIfAbsent);
    return new DenyList(next);
  }

  public DenyList union(DenyList other) {
    return with(other.entries);
  }

  public Map<String, String> toData() {
    Map<String, String> data = new TreeMap<>();
    entries.forEach((fp, entry) -> {
      try {
        data.put(key(fp), Base64.getEncoder().encodeToString(
            JSON.writeValueAsBytes(entry)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialise a deny-list entry", e);
      }
    });
    return data;
  }

  /** Data keys may hold only [-._a-zA-Z0-9]: "hmac-sha256.<hex>". */
  static String key(String fingerprint) {
    return fingerprint.replace(':', '.');
  }

  private static java.util.Optional<String> fingerprintOf(String key) {
    String prefix = CredentialFingerprinter.PREFIX.replace(':', '.');
    if (!key.startsWith(prefix) || !key.substring(prefix.length()).matches("[0-9a-f]{32}")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(CredentialFingerprinter.PREFIX + key.substring(prefix.length()));
  }

  private static Entry entry(String base64) {
    try {
      return JSON.readValue(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8),
          Entry.class);
    } catch (IllegalArgumentException | JsonProcessingException e) {
      return new Entry(null, null);
    }
  }
}
