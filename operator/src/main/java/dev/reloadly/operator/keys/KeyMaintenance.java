package dev.reloadly.operator.keys;

import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.SealingKey;
import dev.reloadly.operator.crypto.SealingKeyRing;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orders key maintenance: renews the sealing key pair and rotates the KEK when due or asked, has
 * the stores re-keyed, and retires old KEKs nothing needs. The decisions live in
 * {@link KekPolicy} and {@link SealingRenewal}, the pass over store Secrets in
 * {@link StoreRekeying}; this class stores the keys and hands them to reconciles. Safe to stop at
 * any point: the next run picks up where this one left off.
 */
public final class KeyMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(KeyMaintenance.class);

  private final OperatorKeyStore store;
  private final KeyHolder holder;
  private final Clock clock;
  private final KekPolicy kekPolicy;
  private final SealingRenewal sealingRenewal;
  private final StoreRekeying stores;

  public KeyMaintenance(OperatorKeyStore store, KeyHolder holder, Clock clock, KekPolicy kekPolicy,
      SealingRenewal sealingRenewal, StoreRekeying stores) {
    this.store = store;
    this.holder = holder;
    this.clock = clock;
    this.kekPolicy = kekPolicy;
    this.sealingRenewal = sealingRenewal;
    this.stores = stores;
  }

  /** When the next renewal or rotation is due. */
  public Instant nextDue() {
    OperatorKeys keys = holder.get();
    Instant sealing = sealingRenewal.nextDue(keys.sealing());
    Instant kek = kekPolicy.nextDue(keys.keks());
    return sealing.isBefore(kek) ? sealing : kek;
  }

  /**
   * Renews what is due or asked for, then finishes any pending re-wrap or re-encryption.
   *
   * @return true when nothing is left to do: every stored value is under the active KEK and no
   *     old KEK waits to be retired
   */
  public synchronized boolean runOnce() {
    Instant now = clock.instant();
    OperatorKeyStore.Requests requests = store.requests();
    // A save below writes the held sealing keys: start from what the Secret holds now, so a key
    // `retire-sealing-key` removed a moment ago is not written back.
    boolean adopted = adoptStoredSealingKeys();
    OperatorKeys keys = holder.get();
    OperatorKeys next = keys;
    Optional<SealingKeyRing> renewed = sealingRenewal.renewedIfDue(keys.sealing(), now);
    if (renewed.isPresent()) {
      next = new OperatorKeys(renewed.get(), next.keks(), next.fingerprinter());
      LOG.info("renewed the sealing key pair: new key {}", next.sealing().newest().keyId());
    }
    if (kekPolicy.rotationDue(keys.keks(), now) || requests.rotateKek() || requests.reencrypt()) {
      next = new OperatorKeys(next.sealing(), kekPolicy.rotated(next.keks(), now),
          next.fingerprinter());
      LOG.info("rotated the key-encryption key: new key {}", next.keks().active().keyId());
    }
    if (next != keys) {
      store.save(next);
      holder.set(next);
    }
    if (requests.reencrypt()) {
      // Every KEK the values may be under before this rotation: all leave with new data keys.
      Set<String> away = new HashSet<>(requests.reencryptKeks());
      keys.keks().entries().forEach(e -> away.add(e.kek().keyId()));
      away.remove(next.keks().active().keyId());
      store.startReencrypt(away);
      LOG.info("re-encrypting every stored value under a new data key, away from KEKs {}",
          new TreeSet<>(away));
    }
    if (renewed.isPresent()) {
      sealingRenewal.announce();
    }
    // Also here, not only on the ConfigMap watch: a repair missed while disconnected is caught up.
    if (adopted) {
      store.publish(holder.get().sealing());
    } else {
      store.repairPublished(holder.get().sealing());
    }
    return rekeyStores() == 0 && holder.get().keks().entries().size() == 1;
  }

  /**
   * One pass over the stores: re-wraps (or, during a re-encryption, re-encrypts) values still
   * under an old KEK, retires old KEKs nothing references any more, and closes a re-encryption
   * whose KEKs are all gone.
   *
   * @return how many store Secrets still reference an old KEK
   */
  public synchronized int rekeyStores() {
    Set<String> reencrypt = store.requests().reencryptKeks();
    KekRing ring = holder.get().keks();
    StoreRekeying.Result pass = stores.run(ring, reencrypt);
    List<String> retirable = kekPolicy.retirable(ring, pass.referenced(), clock.instant());
    KekRing retired = ring;
    for (String id : retirable) {
      retired = retired.retire(id);
      LOG.info("retired key-encryption key {}: no stored value references it", id);
    }
    if (retired != ring) {
      OperatorKeys keys = holder.get();
      OperatorKeys next = new OperatorKeys(keys.sealing(), retired, keys.fingerprinter());
      store.save(next);
      holder.set(next);
    }
    if (!reencrypt.isEmpty() && reencrypt.stream().noneMatch(id -> holder.get().keks().find(id)
        .isPresent())) {
      store.finishReencrypt();
      LOG.info("re-encryption finished: no stored value is under KEKs {} any more, and they are"
          + " retired", new TreeSet<>(reencrypt));
    }
    return pass.remaining();
  }

  /**
   * Follows the key Secret when its sealing keys were changed outside the operator (e.g. by
   * `retire-sealing-key`), so a later save does not write a removed key back, and republishes.
   */
  public synchronized void followStoredSealingKeys() {
    if (adoptStoredSealingKeys()) {
      store.publish(holder.get().sealing());
    } else {
      // The keys did not change: a ConfigMap that differs was changed by someone else.
      store.repairPublished(holder.get().sealing());
    }
  }

  /** True when the key Secret's sealing keys differed from the held ones and were adopted. */
  private boolean adoptStoredSealingKeys() {
    SealingKeyRing stored = store.storedSealing();
    OperatorKeys keys = holder.get();
    if (ids(stored).equals(ids(keys.sealing()))) {
      return false;
    }
    holder.set(new OperatorKeys(stored, keys.keks(), keys.fingerprinter()));
    LOG.info("sealing keys changed in Secret {}/{}: now {}", store.namespace(),
        OperatorKeyStore.SECRET, ids(stored));
    return true;
  }

  /** Puts the public sealing keys back when ConfigMap reloadly-sealing-keys says otherwise. */
  public synchronized void repairPublishedKeys() {
    store.repairPublished(holder.get().sealing());
  }

  private static List<String> ids(SealingKeyRing ring) {
    return ring.keys().stream().map(SealingKey::keyId).collect(Collectors.toList());
  }
}
