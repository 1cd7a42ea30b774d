package dev.reloadly.operator.keys;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.crypto.KekProvider;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.KeyRingFormatException;
import dev.reloadly.operator.crypto.LocalKekProvider;
import dev.reloadly.operator.crypto.SealingKeyRing;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the operator's keys in its own namespace: the private material in Secret
 * {@value #SECRET}, the public sealing keys in ConfigMap {@value #CONFIG_MAP} so anyone can seal
 * without cluster-admin rights. Generates the keys on first start.
 */
public final class OperatorKeyStore {
  public static final String SECRET = "reloadly-operator-keys";
  public static final String CONFIG_MAP = "reloadly-sealing-keys";
  public static final String PUBLIC_KEYS = "public-keys.json";
  /** On Secret {@value #SECRET}: rotate the KEK now (set by `rotate-kek`, removed once done). */
  public static final String ROTATE_KEK = "security.reloadly.dev/rotate-kek";
  /**
   * On Secret {@value #SECRET}, next to {@value #ROTATE_KEK}: give every stored value a new data
   * key, not only a re-wrap (set by `rotate-kek --reencrypt`, replaced by
   * {@value #REENCRYPT_KEKS} once the new KEK is active).
   */
  public static final String REENCRYPT = "security.reloadly.dev/reencrypt";
  /**
   * On Secret {@value #SECRET}: the comma-separated KEK ids a re-encryption pass moves values away
   * from. It is the pass's progress record: it survives a restart, and it is removed once none of
   * those KEKs is left in the ring, so a finished pass is never repeated.
   */
  public static final String REENCRYPT_KEKS = "security.reloadly.dev/reencrypt-keks";
  static final String SEALING = "sealing-keys.json";
  static final String KEKS = "kek-ring.json";
  static final String FINGERPRINT = "fingerprint.key";

  private static final Logger LOG = LoggerFactory.getLogger(OperatorKeyStore.class);

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;
  private final SecureRandom random;
  private final KekProvider kekProvider;

  /** Keys with local KEKs (the demo, tools). */
  public OperatorKeyStore(KubernetesClient client, String namespace, Clock clock,
      SecureRandom random) {
    this(client, namespace, clock, random, new LocalKekProvider());
  }

  /** Keys whose KEK ring is written and read by {@code kekProvider} (local or KMS-wrapped). */
  public OperatorKeyStore(KubernetesClient client, String namespace, Clock clock,
      SecureRandom random, KekProvider kekProvider) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
    this.random = random;
    this.kekProvider = kekProvider;
  }

  public String namespace() {
    return namespace;
  }

  /** Loads the keys, generating and storing them when absent, and publishes the public keys. */
  public OperatorKeys loadOrCreate() {
    Secret secret = client.secrets().inNamespace(namespace).withName(SECRET).get();
    if (secret == null) {
      secret = create();
    }
    OperatorKeys keys = parse(secret);
    byte[] keks = kekBytes(secret);
    boolean ownFormat = kekProvider.inOwnFormat(keks);
    Arrays.fill(keks, (byte) 0);
    if (!ownFormat) {
      // The provider changed (local to KMS or back): rewrite the ring in its format at once, so
      // the Secret stops holding KEK bytes as soon as the KMS plugin protects them.
      save(keys);
      LOG.info("rewrote the KEK ring of Secret {}/{} for the {} KEK provider", namespace, SECRET,
          kekProvider.describe());
    }
    publish(keys.sealing());
    return keys;
  }

  /** Stores renewed keys: the Secret first, so a published public key always has its private key. */
  public void save(OperatorKeys keys) {
    Secret current = client.secrets().inNamespace(namespace).withName(SECRET).get();
    if (current == null) {
      throw new IllegalStateException("Secret " + namespace + "/" + SECRET + " disappeared");
    }
    Map<String, String> data = new HashMap<>(current.getData());
    data.put(SEALING, encode(keys.sealing().toSecretBytes()));
    data.put(KEKS, encode(kekProvider.toSecretBytes(keys.keks())));
    Map<String, String> annotations = new HashMap<>(
        current.getMetadata().getAnnotations() == null ? Map.of() : current.getMetadata().getAnnotations());
    if (!keys.keks().active().keyId().equals(parse(current).keks().active().keyId())) {
      // A new active KEK answers any pending request.
      annotations.remove(ROTATE_KEK);
    }
    // update() carries the resourceVersion we read: two replicas renewing at once cannot both win.
    client.secrets().inNamespace(namespace)
        .resource(new SecretBuilder(current).withData(data)
            .editMetadata().withAnnotations(annotations).endMetadata().build()).update();
    publish(keys.sealing());
  }

  /** What `rotate-kek` asked for, and the KEKs a re-encryption pass in progress moves away from. */
  public record Requests(boolean rotateKek, boolean reencrypt, Set<String> reencryptKeks) {
    public Requests {
      reencryptKeks = Set.copyOf(reencryptKeks);
    }
  }

  /**
   * Reads the request annotations of Secret {@value #SECRET} in one GET. A KEK rotation is also
   * requested when the KEK provider needs a new active KEK (its KMS key id changed).
   */
  public Requests requests() {
    Secret secret = client.secrets().inNamespace(namespace).withName(SECRET).get();
    Map<String, String> annotations = secret == null || secret.getMetadata().getAnnotations() == null
        ? Map.of() : secret.getMetadata().getAnnotations();
    String keks = annotations.getOrDefault(REENCRYPT_KEKS, "");
    boolean rotate = annotations.get(ROTATE_KEK) != null
        || secret != null && providerNeedsRotation(secret);
    return new Requests(rotate, annotations.get(REENCRYPT) != null,
        Arrays.stream(keks.split(",")).map(String::trim).filter(id -> !id.isEmpty())
            .collect(Collectors.toSet()));
  }

  /**
   * Records that a re-encryption away from {@code kekIds} has started, replacing the request in
   * one write, so the request and its progress record are never both absent.
   */
  public void startReencrypt(Set<String> kekIds) {
    editAnnotations(annotations -> {
      annotations.remove(REENCRYPT);
      annotations.put(REENCRYPT_KEKS, String.join(",", new TreeSet<>(kekIds)));
    });
  }

  /** Removes the progress record of a finished re-encryption. */
  public void finishReencrypt() {
    editAnnotations(annotations -> annotations.remove(REENCRYPT_KEKS));
  }

  /** Read, change, update: the resourceVersion read makes a concurrent change fail, not vanish. */
  private void editAnnotations(Consumer<Map<String, String>> change) {
    Secret current = client.secrets().inNamespace(namespace).withName(SECRET).get();
    if (current == null) {
      throw new IllegalStateException("Secret " + namespace + "/" + SECRET + " disappeared");
    }
    Map<String, String> annotations = new HashMap<>(current.getMetadata().getAnnotations() == null
        ? Map.of() : current.getMetadata().getAnnotations());
    change.accept(annotations);
    client.secrets().inNamespace(namespace).resource(new SecretBuilder(current)
        .editMetadata().withAnnotations(annotations).endMetadata().build()).update();
  }

  /** The sealing key pairs as Secret {@value #SECRET} holds them now. */
  public SealingKeyRing storedSealing() {
    Secret secret = client.secrets().inNamespace(namespace).withName(SECRET).get();
    if (secret == null) {
      throw new IllegalStateException("Secret " + namespace + "/" + SECRET + " disappeared");
    }
    return sealingOf(secret);
  }

  /** The sealing ring of a key Secret (for `retire-sealing-key`, which edits only that entry). */
  public static SealingKeyRing sealingOf(Secret secret) {
    String encoded = secret.getData() == null ? null : secret.getData().get(SEALING);
    if (encoded == null) {
      throw new IllegalStateException("Secret " + secret.getMetadata().getNamespace() + "/"
          + SECRET + " has no key " + SEALING);
    }
    byte[] bytes = Base64.getDecoder().decode(encoded);
    try {
      return SealingKeyRing.parseSecret(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** A copy of a key Secret with its sealing ring replaced and everything else as it was. */
  public static Secret withSealing(Secret secret, SealingKeyRing sealing) {
    Map<String, String> data = new HashMap<>(secret.getData());
    data.put(SEALING, encode(sealing.toSecretBytes()));
    return new SecretBuilder(secret).withData(data).build();
  }

  /**
   * Puts the public keys of {@code sealing} back into ConfigMap {@value #CONFIG_MAP} when the
   * ConfigMap says anything else, e.g. a key someone planted so that `seal --fetch` seals to it.
   *
   * @return true when the ConfigMap had to be repaired
   */
  public boolean repairPublished(SealingKeyRing sealing) {
    if (!publish(sealing)) {
      return false;
    }
    LOG.warn("ConfigMap {}/{} did not hold the operator's public sealing keys; restored it from"
        + " Secret {}/{} (newest key {}). Find out who wrote it.", namespace, CONFIG_MAP, namespace,
        SECRET, sealing.newest().keyId());
    return true;
  }

  /** True when the KEK provider needs a new active KEK for the ring this Secret holds. */
  private boolean providerNeedsRotation(Secret secret) {
    byte[] keks = kekBytes(secret);
    try {
      return kekProvider.rotationRequired(kekProvider.parseSecret(keks));
    } finally {
      Arrays.fill(keks, (byte) 0);
    }
  }

  /**
   * Creates the key Secret with a given sealing ring (and fresh KEK and fingerprint keys) unless
   * one exists. The demo uses it so the committed samples, sealed with its published demo key,
   * open; a real cluster never needs it.
   */
  public void seed(SealingKeyRing sealing) {
    if (client.secrets().inNamespace(namespace).withName(SECRET).get() == null) {
      create(sealing);
    }
  }

  private Secret create() {
    return create(SealingKeyRing.generate(clock.instant(), random));
  }

  private Secret create(SealingKeyRing sealing) {
    byte[] fingerprintKey = CredentialFingerprinter.generateKey(random);
    Map<String, String> data = Map.of(
        SEALING, encode(sealing.toSecretBytes()),
        KEKS, encode(kekProvider.toSecretBytes(kekProvider.generate(clock.instant(), random))),
        FINGERPRINT, encode(fingerprintKey));
    try {
      Secret created = client.secrets().inNamespace(namespace).resource(new SecretBuilder()
              .withNewMetadata().withName(SECRET).withNamespace(namespace)
              .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
              .addToLabels(ApiLabels.COMPONENT, "keys")
              .endMetadata()
              .withType("Opaque")
              .withData(data)
              .build())
          .create();
      LOG.info("generated the operator's keys in Secret {}/{}", namespace, SECRET);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // Another replica was first: use its keys.
      return client.secrets().inNamespace(namespace).withName(SECRET).get();
    }
  }

  /** Writes the public document when the ConfigMap differs; true when it wrote. */
  boolean publish(SealingKeyRing sealing) {
    String document = sealing.publicOnly().toPublicDocument();
    ConfigMap existing = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
    if (existing != null && existing.getData() != null
        && Objects.equals(existing.getData().get(PUBLIC_KEYS), document)) {
      return false;
    }
    ConfigMap desired = new ConfigMapBuilder()
        .withNewMetadata().withName(CONFIG_MAP).withNamespace(namespace)
        .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .addToLabels(ApiLabels.COMPONENT, "sealing-keys")
        .endMetadata()
        .withData(Map.of(PUBLIC_KEYS, document))
        .build();
    if (existing == null) {
      client.configMaps().inNamespace(namespace).resource(desired).create();
    } else {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.configMaps().inNamespace(namespace).resource(desired).update();
    }
    LOG.info("published sealing key {} in ConfigMap {}/{}", sealing.newest().keyId(), namespace,
        CONFIG_MAP);
    return true;
  }

  private OperatorKeys parse(Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    for (String key : new String[] {SEALING, KEKS, FINGERPRINT}) {
      if (!data.containsKey(key)) {
        throw new KeyRingFormatException(KeyRingFormatException.Reason.MALFORMED, "Secret "
            + secret.getMetadata().getNamespace() + "/"
            + SECRET + " has no key " + key + "; restore it from backup, or delete the Secret to"
            + " generate new keys (values sealed or stored under the old keys are then lost)");
      }
    }
    String where = "Secret " + secret.getMetadata().getNamespace() + "/" + SECRET;
    byte[] sealing = decode(data, SEALING, where);
    byte[] keks = decode(data, KEKS, where);
    byte[] fingerprint = decode(data, FINGERPRINT, where);
    // Found by fuzzing: a damaged entry threw the JDK's IllegalArgumentException (bad base64, a
    // short fingerprint key), which `run` printed as a stack trace; and a ring's own message did
    // not say which entry it was about. Each now stops the start in one line naming both.
    try {
      SealingKeyRing sealingRing = named(where, SEALING, () -> SealingKeyRing.parseSecret(sealing));
      KekRing kekRing = named(where, KEKS, () -> kekProvider.parseSecret(keks));
      if (fingerprint.length < CredentialFingerprinter.MIN_KEY_BYTES) {
        throw new KeyRingFormatException(KeyRingFormatException.Reason.INVALID_KEY, where
            + ", key " + FINGERPRINT + ": must be at least " + CredentialFingerprinter.MIN_KEY_BYTES
            + " bytes, not " + fingerprint.length);
      }
      return new OperatorKeys(sealingRing, kekRing, new CredentialFingerprinter(fingerprint));
    } finally {
      Arrays.fill(sealing, (byte) 0);
      Arrays.fill(keks, (byte) 0);
      Arrays.fill(fingerprint, (byte) 0);
    }
  }

  private static byte[] decode(Map<String, String> data, String key, String where) {
    try {
      return Base64.getDecoder().decode(data.get(key));
    } catch (IllegalArgumentException e) {
      // The JDK's message quotes the offending character: not passed on.
      throw new KeyRingFormatException(KeyRingFormatException.Reason.MALFORMED, where + ", key "
          + key + ": not base64");
    }
  }

  private static <T> T named(String where, String key, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (KeyRingFormatException e) {
      throw new KeyRingFormatException(e.reason(), where + ", key " + key + ": " + e.getMessage());
    }
  }

  private static byte[] kekBytes(Secret secret) {
    String value = secret.getData() == null ? null : secret.getData().get(KEKS);
    return value == null ? new byte[0] : Base64.getDecoder().decode(value);
  }

  private static String encode(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
