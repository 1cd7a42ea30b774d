package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.target.OwnedSecretWriter;
import dev.reloadly.operator.target.TargetSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Optional;

/** The two Secrets a credential owns, its store and its target, read from the owned informer. */
final class OwnedSecrets implements TargetSecrets {
  private static final EnvelopeCipher CIPHER = new EnvelopeCipher();

  private final KubernetesClient client;
  private final ReloadlyCredential credential;
  private final InformerEventSource<Secret, ReloadlyCredential> informer;
  private final OwnedSecretWriter writer;

  OwnedSecrets(KubernetesClient client, ReloadlyCredential credential,
      InformerEventSource<Secret, ReloadlyCredential> informer) {
    this.client = client;
    this.credential = credential;
    this.informer = informer;
    this.writer = new OwnedSecretWriter(client);
  }

  @Override
  public String targetName() {
    return TargetSecret.name(credential);
  }

  @Override
  public String storeName() {
    return StoredVersions.secretName(credential.getMetadata().getName());
  }

  @Override
  public Optional<Secret> target() {
    return cached(targetName());
  }

  /** The stored versions; IllegalArgumentException when the store Secret is damaged. */
  StoredVersions store() {
    return cached(storeName())
        .filter(s -> OwnedSecretWriter.isOwnedBy(s, credential))
        .map(s -> StoredVersions.parse(s.getData()))
        .orElseGet(StoredVersions::empty);
  }

  StoredVersions.Crypto crypto(KekRing keks) {
    return new StoredVersions.Crypto(new StoredVersions.Binding(
        credential.getMetadata().getNamespace(), credential.getMetadata().getName(),
        credential.getMetadata().getUid()), CIPHER, keks);
  }

  /** Writes the store; an empty ledger with no store Secret yet writes nothing. */
  OwnedSecretWriter.Outcome writeStore(StoredVersions stored) {
    if (stored.ledger().versions().isEmpty() && cached(storeName()).isEmpty()) {
      return OwnedSecretWriter.Outcome.UNCHANGED;
    }
    return write(storeName(), StoredVersions.COMPONENT, Map.of(), stored.toData());
  }

  @Override
  public OwnedSecretWriter.Outcome writeTarget(Map<String, String> annotations, Map<String, String> data) {
    return write(targetName(), TargetSecret.COMPONENT, annotations, data);
  }

  /**
   * Deletes target Secrets this credential wrote under an earlier spec.target.secretName, so a
   * rename leaves no stale copy of the credential behind.
   */
  @Override
  public void deleteStaleTargets() {
    informer.list(credential.getMetadata().getNamespace(), s ->
            TargetSecret.COMPONENT.equals(label(s, ApiLabels.COMPONENT))
                && credential.getMetadata().getName().equals(label(s, ApiLabels.CREDENTIAL))
                && !s.getMetadata().getName().equals(targetName())
                && OwnedSecretWriter.isOwnedBy(s, credential))
        .toList()
        .forEach(stale -> client.secrets().inNamespace(stale.getMetadata().getNamespace())
            .withName(stale.getMetadata().getName()).delete());
  }

  private static String label(Secret secret, String key) {
    return secret.getMetadata().getLabels() == null ? null : secret.getMetadata().getLabels().get(key);
  }

  private OwnedSecretWriter.Outcome write(String name, String component,
      Map<String, String> annotations, Map<String, String> data) {
    Map<String, String> labels = Map.of(
        ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE,
        ApiLabels.CREDENTIAL, credential.getMetadata().getName(),
        ApiLabels.COMPONENT, component);
    // Read-your-writes: the informer serves what was just written until its watch catches up, so
    // the next reconcile does not act on the Secret as it was (and mint a second token).
    return writer.writeTellingPrevious(credential, name, labels, annotations, data,
        cached(name), (written, previous) -> {
          if (previous == null) {
            informer.handleRecentResourceCreate(ResourceID.fromResource(written), written);
          } else {
            informer.handleRecentResourceUpdate(ResourceID.fromResource(written), written,
                previous);
          }
        });
  }

  private Optional<Secret> cached(String name) {
    return informer.get(new ResourceID(name, credential.getMetadata().getNamespace()));
  }
}
