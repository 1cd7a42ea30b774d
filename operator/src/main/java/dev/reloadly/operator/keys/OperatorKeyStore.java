package dev.reloadly.operator.keys;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.crypto.KekProvider;
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

  /**
   * True when someone asked for a KEK rotation through the {@value #ROTATE_KEK} annotation, or
   * the KEK provider needs a new active KEK (its KMS key id changed).
   */
  public boolean kekRotationRequested() {
    Secret secret = client.secrets().inNamespace(namespace).withName(SECRET).get();
    if (secret == null) {
      return false;
    }
    if (secret.getMetadata().getAnnotations() != null
        && secret.getMetadata().getAnnotations().get(ROTATE_KEK) != null) {
      return true;
    }
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

  private void publish(SealingKeyRing sealing) {
    String document = sealing.publicOnly().toPublicDocument();
    ConfigMap existing = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
    if (existing != null && existing.getData() != null
        && Objects.equals(existing.getData().get(PUBLIC_KEYS), document)) {
      return;
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
  }

  private OperatorKeys parse(Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    for (String key : new String[] {SEALING, KEKS, FINGERPRINT}) {
      if (!data.containsKey(key)) {
        throw new IllegalStateException("Secret " + secret.getMetadata().getNamespace() + "/"
            + SECRET + " has no key " + key + "; restore it from backup, or delete the Secret to"
            + " generate new keys (values sealed or stored under the old keys are then lost)");
      }
    }
    byte[] sealing = Base64.getDecoder().decode(data.get(SEALING));
    byte[] keks = Base64.getDecoder().decode(data.get(KEKS));
    byte[] fingerprint = Base64.getDecoder().decode(data.get(FINGERPRINT));
    try {
      return new OperatorKeys(SealingKeyRing.parseSecret(sealing), kekProvider.parseSecret(keks),
          new CredentialFingerprinter(fingerprint));
    } finally {
      Arrays.fill(sealing, (byte) 0);
      Arrays.fill(keks, (byte) 0);
      Arrays.fill(fingerprint, (byte) 0);
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
