package dev.reloadly.operator.compromise;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.lifecycle.CredentialVersion;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.lifecycle.VersionState;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the deny-list Secret {@value DenyList#SECRET} in the operator's namespace: read through a
 * single-object informer, so a reconcile consults it without an API call, and written (update
 * with the resourceVersion read, retried on 409, created if absent) before a compromised version
 * leaves any store or target.
 */
public final class DenyListSecret implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DenyListSecret.class);
  static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<Secret> informer;
  /** What this process wrote and the informer may not have delivered yet. */
  private final AtomicReference<DenyList> written = new AtomicReference<>(DenyList.empty());
  private final AtomicReference<Parsed> parsed = new AtomicReference<>(new Parsed(null,
      DenyList.empty()));

  private final AtomicReference<Runnable> onChange = new AtomicReference<>(() -> { });

  private record Parsed(String resourceVersion, DenyList list) {}

  private DenyListSecret(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    // inform() returns once the first list is in: no reconcile runs on an unread deny-list.
    this.informer = client.secrets().inNamespace(namespace).withName(DenyList.SECRET)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Secret secret) {
            onChange.get().run();
          }

          @Override
          public void onUpdate(Secret previous, Secret secret) {
            if (!Objects.equals(previous.getData(), secret.getData())) {
              onChange.get().run();
            }
          }

          @Override
          public void onDelete(Secret secret, boolean unknownFinalState) {
            LOG.warn("Secret {}/{} (compromised versions) was deleted; versions compromised"
                + " before are refused again only where a store still records them. Restore it"
                + " from backup", namespace, DenyList.SECRET);
          }
        });
  }

  /** True while the informer has listed and is watching: the deny-list is current. */
  public boolean healthy() {
    return informer.hasSynced() && informer.isWatching();
  }

  /** Runs {@code action} whenever the listed fingerprints change (after the first list). */
  public void onChange(Runnable action) {
    onChange.set(action);
  }

  public static DenyListSecret start(KubernetesClient client, String namespace) {
    return new DenyListSecret(client, namespace);
  }

  /** The deny-list as this process knows it: the informer's copy plus its own recent writes. */
  public DenyList current() {
    DenyList cached = cached();
    DenyList mine = written.get();
    if (cached.fingerprints().containsAll(mine.fingerprints())) {
      // The informer caught up: from now on it alone is the truth, so a manual removal counts.
      written.compareAndSet(mine, DenyList.empty());
      return cached;
    }
    return cached.union(mine);
  }

  public boolean contains(String fingerprint) {
    return current().contains(fingerprint);
  }

  /**
   * Lists every compromised version of {@code ledger} that is not listed yet, as reported on
   * credential {@code namespace/name}. No API call when all are listed already.
   */
  public void listCompromised(VersionLedger ledger, String credentialNamespace, String name,
      Instant now) {
    DenyList known = current();
    Map<String, DenyList.Entry> missing = new LinkedHashMap<>();
    ledger.versions().stream()
        .filter(v -> v.state() == VersionState.COMPROMISED)
        .map(CredentialVersion::fingerprint)
        .filter(fp -> !known.contains(fp))
        .forEach(fp -> missing.put(fp, DenyList.Entry.of(now, credentialNamespace, name)));
    if (!missing.isEmpty()) {
      add(missing);
    }
  }

  /** Adds entries; throws when the Secret cannot be written, so nothing after it happens. */
  synchronized void add(Map<String, DenyList.Entry> entries) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Secret existing = client.secrets().inNamespace(namespace).withName(DenyList.SECRET).get();
      DenyList before = existing == null ? DenyList.empty() : DenyList.parse(existing.getData());
      DenyList next = before.with(entries);
      try {
        if (existing == null) {
          client.secrets().inNamespace(namespace).resource(desired(null, next)).create();
        } else if (!next.fingerprints().equals(before.fingerprints()) || !labelled(existing)) {
          // update() sends the resourceVersion read above: a concurrent writer makes it a 409.
          client.secrets().inNamespace(namespace).resource(desired(existing, next)).update();
        }
        written.updateAndGet(w -> w.with(Map.copyOf(entries)));
        LOG.info("listed {} compromised version(s) in Secret {}/{}", entries.size(), namespace,
            DenyList.SECRET);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("Secret " + namespace + "/" + DenyList.SECRET
        + " changed under every one of " + ATTEMPTS + " attempts to update it");
  }

  private DenyList cached() {
    Secret secret = informer.getStore().getByKey(namespace + "/" + DenyList.SECRET);
    if (secret == null) {
      return DenyList.empty();
    }
    String version = secret.getMetadata().getResourceVersion();
    Parsed last = parsed.get();
    if (version != null && Objects.equals(version, last.resourceVersion())) {
      return last.list();
    }
    DenyList list = DenyList.parse(secret.getData());
    parsed.set(new Parsed(version, list));
    return list;
  }

  private Secret desired(Secret existing, DenyList list) {
    SecretBuilder builder = existing == null ? new SecretBuilder() : new SecretBuilder(existing);
    return builder
        .editOrNewMetadata().withName(DenyList.SECRET).withNamespace(namespace)
        .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .addToLabels(DenyList.COMPONENT_LABEL, DenyList.COMPONENT)
        .endMetadata()
        .withType("Opaque")
        .withData(list.toData())
        .build();
  }

  private static boolean labelled(Secret secret) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    return labels != null && ApiLabels.MANAGED_BY_VALUE.equals(labels.get(ApiLabels.MANAGED_BY))
        && DenyList.COMPONENT.equals(labels.get(DenyList.COMPONENT_LABEL));
  }

  @Override
  public void close() {
    informer.close();
  }
}
