package dev.reloadly.operator.keys;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.store.StoredVersions;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the sealing key pair and rotates the key-encryption key when due, re-wraps every store
 * Secret under the new KEK, and retires an old KEK only once no stored value references it. Safe
 * to stop at any point: the next run picks up where this one left off.
 */
public final class KeyMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(KeyMaintenance.class);
  /** How long an old KEK stays after it stopped being active, at the least. */
  static final Duration RETIRE_AFTER = Duration.ofMinutes(10);
  static final String STORE_SELECTOR = ApiLabels.MANAGED_SELECTOR + "," + ApiLabels.COMPONENT + "="
      + StoredVersions.COMPONENT;

  private final KubernetesClient client;
  private final OperatorKeyStore store;
  private final KeyHolder holder;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration sealingEvery;
  private final Duration kekEvery;
  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private final Runnable sealingKeyRenewed;

  public KeyMaintenance(KubernetesClient client, OperatorKeyStore store, KeyHolder holder,
      Clock clock, SecureRandom random, Duration sealingEvery, Duration kekEvery,
      Runnable sealingKeyRenewed) {
    this.sealingKeyRenewed = sealingKeyRenewed;
    this.client = client;
    this.store = store;
    this.holder = holder;
    this.clock = clock;
    this.random = random;
    this.sealingEvery = sealingEvery;
    this.kekEvery = kekEvery;
  }

  /** When the next renewal or rotation is due. */
  public Instant nextDue() {
    OperatorKeys keys = holder.get();
    Instant sealing = keys.sealing().renewalDueAt(sealingEvery);
    Instant kek = keys.keks().rotationDueAt(kekEvery);
    return sealing.isBefore(kek) ? sealing : kek;
  }

  /**
   * Renews what is due, then finishes any pending re-wrap.
   *
   * @return true when nothing is left to do: every stored value is under the active KEK and no
   *     old KEK waits to be retired
   */
  public synchronized boolean runOnce() {
    Instant now = clock.instant();
    OperatorKeys keys = holder.get();
    OperatorKeys next = keys;
    if (keys.sealing().needsRenewal(now, sealingEvery)) {
      next = new OperatorKeys(next.sealing().renewed(now, random), next.keks(), next.fingerprinter());
      LOG.info("renewed the sealing key pair: new key {}", next.sealing().newest().keyId());
    }
    if (keys.keks().needsRotation(now, kekEvery) || store.kekRotationRequested()) {
      next = new OperatorKeys(next.sealing(), next.keks().rotated(now, random), next.fingerprinter());
      LOG.info("rotated the key-encryption key: new key {}", next.keks().active().keyId());
    }
    rotate(next, keys);
    if (next.sealing() != keys.sealing()) {
      sealingKeyRenewed.run();
    }
    return rewrapAndRetire(Integer.MAX_VALUE) == 0 && holder.get().keks().entries().size() == 1;
  }

  /** Starts a KEK rotation now (on demand). */
  public synchronized void rotateKekNow() {
    rotateKekOnly();
    rewrapAndRetire(Integer.MAX_VALUE);
  }

  /**
   * Makes a new KEK active, stored and handed to reconciles, without re-wrapping anything: the
   * first half of {@link #rotateKekNow()}, so tests can stop a rotation half-way.
   */
  void rotateKekOnly() {
    OperatorKeys keys = holder.get();
    rotate(new OperatorKeys(keys.sealing(), keys.keks().rotated(clock.instant(), random),
        keys.fingerprinter()), keys);
  }

  private void rotate(OperatorKeys next, OperatorKeys previous) {
    if (next != previous) {
      store.save(next);
      holder.set(next);
    }
  }

  /**
   * Re-wraps at most {@code limit} store Secrets still holding values under an old KEK, and
   * retires old KEKs nothing references any more.
   *
   * @return how many store Secrets still reference an old KEK
   */
  public synchronized int rewrapAndRetire(int limit) {
    KekRing ring = holder.get().keks();
    String active = ring.active().keyId();
    Set<String> referenced = new HashSet<>();
    int rewrapped = 0;
    int remaining = 0;
    List<Secret> stores = client.secrets().inAnyNamespace().withLabelSelector(STORE_SELECTOR)
        .list().getItems();
    for (Secret secret : stores) {
      StoredVersions versions;
      Set<String> ids;
      StoredVersions.Binding binding = binding(secret);
      try {
        versions = StoredVersions.parse(secret.getData());
        ids = versions.kekIds();
      } catch (RuntimeException e) {
        // One damaged store must not stop the pass for all others; it pins every KEK instead.
        LOG.warn("store Secret {}/{} is damaged ({}); its KEK references are kept",
            secret.getMetadata().getNamespace(), secret.getMetadata().getName(),
            e.getClass().getSimpleName());
        referenced.addAll(ringIds(ring));
        remaining++;
        continue;
      }
      if (binding == null || ids.stream().allMatch(active::equals)) {
        referenced.addAll(ids);
        continue;
      }
      if (rewrapped >= limit) {
        referenced.addAll(ids);
        remaining++;
        continue;
      }
      try {
        StoredVersions next = versions.rewrapped(new StoredVersions.Crypto(binding, cipher, ring));
        client.secrets().inNamespace(secret.getMetadata().getNamespace())
            .resource(new SecretBuilder(secret).withData(next.toData()).build()).update();
        referenced.addAll(next.kekIds());
        rewrapped++;
      } catch (RuntimeException e) {
        // A concurrent reconcile won (409), or the store is damaged: the next run tries again.
        referenced.addAll(ids);
        remaining++;
      }
    }
    KekRing retired = ring;
    Instant now = clock.instant();
    for (String id : ringIds(ring)) {
      if (!id.equals(active) && !referenced.contains(id)
          && !now.isBefore(deactivatedAt(ring, id).plus(RETIRE_AFTER))) {
        retired = retired.retire(id);
        LOG.info("retired key-encryption key {}: no stored value references it", id);
      }
    }
    if (retired != ring) {
      OperatorKeys keys = holder.get();
      OperatorKeys next = new OperatorKeys(keys.sealing(), retired, keys.fingerprinter());
      store.save(next);
      holder.set(next);
    }
    return remaining;
  }

  /**
   * When a KEK stopped being the active one: the creation of its successor. A reconcile that read
   * the keys just before a rotation may still be writing under the old KEK; waiting
   * {@link #RETIRE_AFTER} past this instant keeps a pass from retiring a KEK such a write needs.
   */
  private static Instant deactivatedAt(KekRing ring, String id) {
    List<KekRing.Entry> entries = ring.entries();
    for (int i = 0; i < entries.size() - 1; i++) {
      if (entries.get(i).kek().keyId().equals(id)) {
        return entries.get(i + 1).createdAt();
      }
    }
    return Instant.MAX;
  }

  private static Set<String> ringIds(KekRing ring) {
    Set<String> ids = new HashSet<>();
    ring.entries().forEach(e -> ids.add(e.kek().keyId()));
    return ids;
  }

  /** The credential a store Secret belongs to, from its controller owner reference. */
  private static StoredVersions.Binding binding(Secret secret) {
    List<OwnerReference> owners = secret.getMetadata().getOwnerReferences();
    if (owners == null) {
      return null;
    }
    return owners.stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .filter(o -> Objects.equals(o.getKind(), "ReloadlyCredential"))
        .findFirst()
        .map(o -> new StoredVersions.Binding(secret.getMetadata().getNamespace(), o.getName(),
            o.getUid()))
        .orElse(null);
  }
}
