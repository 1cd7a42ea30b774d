package dev.reloadly.operator.keys;

import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.store.StoredVersions;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over the store Secrets: moves every stored value to the active KEK, re-encrypting
 * (new data key) values under a KEK listed for re-encryption and re-wrapping the rest, and reports
 * which KEKs stored values still need. A value already under the active KEK is left as it is, so a
 * pass stopped half-way resumes where it stopped.
 */
public final class StoreRekeying {
  private static final Logger LOG = LoggerFactory.getLogger(StoreRekeying.class);

  private final StoreSecrets stores;
  private final EnvelopeCipher cipher;

  public StoreRekeying(StoreSecrets stores, EnvelopeCipher cipher) {
    this.stores = stores;
    this.cipher = cipher;
  }

  /**
   * What a pass found.
   *
   * @param referenced KEK ids some stored value may still need (every id of the ring when a store
   *     could not be read)
   * @param remaining store Secrets (or forbidden namespaces) still to move to the active KEK
   */
  public record Result(Set<String> referenced, int remaining) {
    public Result {
      referenced = Set.copyOf(referenced);
    }
  }

  /** Moves every store to {@code ring.active()}; values under {@code reencrypt} get new DEKs. */
  public Result run(KekRing ring, Set<String> reencrypt) {
    String active = ring.active().keyId();
    Set<String> all = new HashSet<>();
    ring.entries().forEach(e -> all.add(e.kek().keyId()));
    Set<String> referenced = new HashSet<>();
    int remaining = 0;
    StoreSecrets.Listing listing = stores.list();
    for (String namespace : listing.forbiddenNamespaces()) {
      // Stores there are unknown: any KEK may still be needed, so none is retired.
      LOG.warn("cannot list store Secrets in {} (403 Forbidden): old key-encryption keys are kept"
          + " until the operator may list Secrets there, or that namespace is no longer watched",
          ClusterStoreSecrets.ALL_NAMESPACES.equals(namespace) ? "all namespaces"
              : "namespace " + namespace);
      referenced.addAll(all);
      remaining++;
    }
    for (Secret secret : listing.secrets()) {
      String where = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
      StoredVersions.Binding binding = binding(secret);
      if (binding == null) {
        // Its values are bound to a credential's uid, which only the controller reference
        // names: the operator can neither open nor re-key it, and never reads it (it serves
        // only stores its credential controls). It must not keep old KEKs alive forever.
        LOG.warn("store Secret {} has no controller owner reference to a ReloadlyCredential: it"
            + " cannot be opened and does not keep old key-encryption keys; restore its owner"
            + " reference before they are retired, or delete it", where);
        continue;
      }
      StoredVersions versions;
      Set<String> ids;
      try {
        versions = StoredVersions.parse(secret.getData());
        ids = versions.kekIds();
      } catch (RuntimeException e) {
        // One damaged store must not stop the pass for all others; it pins every KEK instead.
        LOG.warn("store Secret {} is damaged ({}); its KEK references are kept", where,
            e.getClass().getSimpleName());
        referenced.addAll(all);
        remaining++;
        continue;
      }
      if (ids.stream().allMatch(active::equals)) {
        referenced.addAll(ids);
        continue;
      }
      try {
        StoredVersions next = versions.rekeyed(
            new StoredVersions.Crypto(binding, cipher, ring), reencrypt);
        stores.update(new SecretBuilder(secret).withData(next.toData()).build());
        referenced.addAll(next.kekIds());
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
          LOG.warn("cannot update store Secret {} (403 Forbidden): its old key-encryption keys are"
              + " kept", where);
        }
        // Otherwise a concurrent reconcile won (409): the next run tries again.
        referenced.addAll(ids);
        remaining++;
      } catch (RuntimeException e) {
        LOG.warn("cannot re-key store Secret {} ({}); its KEK references are kept", where,
            e.getClass().getSimpleName());
        referenced.addAll(ids);
        remaining++;
      }
    }
    return new Result(referenced, remaining);
  }

  /** The credential a store Secret belongs to, from its controller owner reference. */
  static StoredVersions.Binding binding(Secret secret) {
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
