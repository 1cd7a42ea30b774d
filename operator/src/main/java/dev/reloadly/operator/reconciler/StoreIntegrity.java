package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.crypto.StoreMac;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.store.StoredVersions.Authenticity;
import dev.reloadly.operator.target.OwnedSecretWriter;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Owns the store's authenticity: refuses a store whose ledger MAC fails or whose generation is
 * older than the credential's status recorded (a rollback), and signs each store write with the
 * next generation. A store without a MAC loads only while status has no generation yet: one
 * written by the operator's previous version, upgraded on its first write.
 */
final class StoreIntegrity {
  private final ReloadlyCredential credential;
  private final StoreMac mac;
  private final StoredVersions.Binding binding;

  StoreIntegrity(ReloadlyCredential credential, StoreMac mac) {
    this.credential = credential;
    this.mac = mac;
    this.binding = new StoredVersions.Binding(credential.getMetadata().getNamespace(),
        credential.getMetadata().getName(), credential.getMetadata().getUid());
  }

  /**
   * The store to use, or why it must be neither served from nor overwritten. The cache can lag a
   * write this operator just made, so a suspect store is read once more from the API server
   * before it is called rolled back; the fresh copy is then the one to use.
   */
  Checked check(StoredVersions cached, KubernetesClient client) {
    Optional<String> problem = judge(cached, present(cached));
    if (problem.isEmpty()) {
      return new Checked(cached, problem);
    }
    Secret fresh = client.secrets().inNamespace(binding.namespace())
        .withName(StoredVersions.secretName(binding.name())).get();
    if (fresh == null || !OwnedSecretWriter.isOwnedBy(fresh, credential)) {
      return new Checked(StoredVersions.empty(), Optional.empty());
    }
    StoredVersions read = StoredVersions.parse(fresh.getData());
    return new Checked(read, judge(read, present(read)));
  }

  /** @param problem why the store is refused; empty when {@code store} may be used */
  record Checked(StoredVersions store, Optional<String> problem) {}

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

  private Optional<String> judge(StoredVersions stored, boolean present) {
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
