package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.StoreMac;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.store.StoredVersions.Authenticity;
import dev.reloadly.operator.target.OwnedSecretWriter;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Owns the store's authenticity: refuses a store whose ledger MAC fails or whose generation is
 * older than the credential's status recorded (a rollback), and signs each store write with the
 * next generation. A store without a MAC loads only while status has no generation yet: one
 * written by the operator's previous version, upgraded on its first write.
 */
final class StoreIntegrity {
  private final ReloadlyCredential credential;
  private final StoreMac mac;
  private final KekRing keks;
  private final StoredVersions.Binding binding;

  /** @param keks the KEKs the operator holds, to tell lost keys from a changed store */
  StoreIntegrity(ReloadlyCredential credential, StoreMac mac, KekRing keks) {
    this.credential = credential;
    this.mac = mac;
    this.keks = keks;
    this.binding = new StoredVersions.Binding(credential.getMetadata().getNamespace(),
        credential.getMetadata().getName(), credential.getMetadata().getUid());
  }

  /**
   * The store to use, or why it must be neither served from nor overwritten. The cache can lag a
   * write this operator just made, so a suspect store is read once more from the API server
   * before it is called rolled back; the fresh copy is then the one to use.
   */
  Checked check(StoredVersions cached, KubernetesClient client) {
    Checked first = judge(cached, present(cached));
    if (first.problem().isEmpty()) {
      return first;
    }
    Secret fresh = client.secrets().inNamespace(binding.namespace())
        .withName(StoredVersions.secretName(binding.name())).get();
    if (fresh == null || !OwnedSecretWriter.isOwnedBy(fresh, credential)) {
      return new Checked(StoredVersions.empty(), Optional.empty(), null);
    }
    StoredVersions read = StoredVersions.parse(fresh.getData());
    return judge(read, present(read));
  }

  /**
   * @param problem why the store is refused; empty when {@code store} may be used
   * @param reason the {@code Ready} reason for the problem: {@code StoreRolledBack}, or
   *     {@code StoreDamaged} when the operator no longer holds the keys the store was made with
   */
  record Checked(StoredVersions store, Optional<String> problem, String reason) {}

  /** What to write: unchanged content keeps its generation; changed content gets the next one. */
  StoredVersions forWrite(StoredVersions next, StoredVersions loaded) {
    if (next.ledger().versions().isEmpty() && !loaded.signed()
        && loaded.ledger().versions().isEmpty()) {
      return next;
    }
    if (loaded.authenticity(mac, binding) == Authenticity.AUTHENTIC
        && next.sameContentAs(loaded)) {
      return loaded;
    }
    return next.signed(mac, binding, Math.max(loaded.generation(), recorded()) + 1);
  }

  private Checked judge(StoredVersions stored, boolean present) {
    Optional<String> rolledBack = rolledBack(stored, present);
    if (rolledBack.isEmpty()) {
      return new Checked(stored, rolledBack, null);
    }
    Set<String> lost = new TreeSet<>();
    stored.kekIds().stream().filter(id -> keks.find(id).isEmpty()).forEach(lost::add);
    if (!lost.isEmpty()) {
      // Not an edit: the operator's keys were replaced (lost, or restored from another backup),
      // and the ledger MAC is keyed from them too.
      return new Checked(stored, Optional.of("its values are wrapped under KEKs " + lost
          + " that the operator does not hold, and its ledger MAC does not verify under the"
          + " current keys: the operator's keys were lost or replaced. Restore them from backup,"
          + " or seal the source again and delete the store (docs/crypto.md)"),
          Conditions.STORE_DAMAGED);
    }
    return new Checked(stored, rolledBack, Conditions.STORE_ROLLED_BACK);
  }

  private Optional<String> rolledBack(StoredVersions stored, boolean present) {
    if (!present) {
      // Deleted: the next write starts over from the source; the deny-list still holds.
      return Optional.empty();
    }
    long recorded = recorded();
    return switch (stored.authenticity(mac, binding)) {
      case FORGED -> Optional.of("its version ledger fails its MAC: it was changed outside the"
          + " operator");
      case UNSIGNED -> credential.getStatus() != null
          && credential.getStatus().getStoreGeneration() != null
          ? Optional.of("its version ledger carries no MAC, though status records generation "
              + recorded) : Optional.empty();
      case AUTHENTIC -> stored.generation() < recorded
          ? Optional.of("it is generation " + stored.generation() + ", older than generation "
              + recorded + " recorded in status: an old copy was written back")
          : Optional.empty();
    };
  }

  /** A store with neither MAC nor any entry is as good as none (a deleted or emptied one). */
  private static boolean present(StoredVersions stored) {
    return stored.signed() || !stored.ledger().equals(VersionLedger.empty());
  }

  private long recorded() {
    Long generation = credential.getStatus() == null ? null
        : credential.getStatus().getStoreGeneration();
    return generation == null ? 0 : generation;
  }
}
