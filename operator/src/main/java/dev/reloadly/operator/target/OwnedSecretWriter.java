package dev.reloadly.operator.target;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Writes a Secret the operator owns (target or store) only when it differs from what is there,
 * and never takes over a Secret that belongs to someone else.
 */
public final class OwnedSecretWriter {
  private final KubernetesClient client;

  public OwnedSecretWriter(KubernetesClient client) {
    this.client = client;
  }

  /** What a write did. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    /** A Secret of that name exists and is not this owner's: left untouched. */
    CONFLICT
  }

  /**
   * Makes the Secret {@code name} hold exactly {@code data}, with the given labels and annotations
   * added (an annotation mapped to null is removed), owned by {@code owner}.
   *
   * @param cached the Secret as the operator's informer sees it, if it does
   * @param onWritten told about every Secret written, to keep the informer cache fresh
   */
  public Outcome write(HasMetadata owner, String name, Map<String, String> labels,
      Map<String, String> annotations, Map<String, String> data, Optional<Secret> cached,
      Consumer<Secret> onWritten) {
    return writeTellingPrevious(owner, name, labels, annotations, data, cached,
        (written, previous) -> onWritten.accept(written));
  }

  /**
   * As {@link #write(HasMetadata, String, Map, Map, Map, Optional, Consumer)}, telling
   * {@code onWritten} the Secret written and the one it replaced (null after a create), which is
   * what a read-your-writes cache needs to tell its own write from a later one.
   */
  public Outcome writeTellingPrevious(HasMetadata owner, String name, Map<String, String> labels,
      Map<String, String> annotations, Map<String, String> data, Optional<Secret> cached,
      BiConsumer<Secret, Secret> onWritten) {
    String namespace = owner.getMetadata().getNamespace();
    Secret existing = cached.orElse(null);
    if (existing == null) {
      try {
        Secret created = client.secrets().inNamespace(namespace).resource(new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(merged(Map.of(), annotations))
                .withOwnerReferences(ownerReference(owner))
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build())
            .create();
        onWritten.accept(created, null);
        return Outcome.CREATED;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        // The cache did not know it: either someone else's Secret, or ours not yet seen.
        existing = client.secrets().inNamespace(namespace).withName(name).get();
        if (existing == null) {
          throw e;
        }
      }
    }
    if (!isOwnedBy(existing, owner)) {
      return Outcome.CONFLICT;
    }
    if (matches(existing, labels, annotations, data)) {
      return Outcome.UNCHANGED;
    }
    Map<String, String> mergedLabels = merged(existing.getMetadata().getLabels(), labels);
    Map<String, String> mergedAnnotations =
        merged(existing.getMetadata().getAnnotations(), annotations);
    Secret desired = new SecretBuilder(existing)
        .editMetadata()
        .withLabels(mergedLabels)
        .withAnnotations(mergedAnnotations)
        .endMetadata()
        .withData(data)
        .withStringData(null)
        .build();
    // update() sends the cached resourceVersion: a concurrent change fails with 409 and the
    // reconcile is retried against fresh state instead of overwriting it.
    Secret updated = client.secrets().inNamespace(namespace).resource(desired).update();
    onWritten.accept(updated, existing);
    return Outcome.UPDATED;
  }

  public static boolean isOwnedBy(HasMetadata resource, HasMetadata owner) {
    return resource.getMetadata().getOwnerReferences() != null
        && resource.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> Objects.equals(r.getUid(), owner.getMetadata().getUid()))
        && ApiLabels.MANAGED_BY_VALUE.equals(
            Optional.ofNullable(resource.getMetadata().getLabels())
                .map(l -> l.get(ApiLabels.MANAGED_BY)).orElse(null));
  }

  static boolean matches(Secret existing, Map<String, String> labels,
      Map<String, String> annotations, Map<String, String> data) {
    return containsAll(existing.getMetadata().getLabels(), labels)
        && containsAll(existing.getMetadata().getAnnotations(), annotations)
        && Objects.equals(existing.getData() == null ? Map.of() : existing.getData(), data);
  }

  /** A null value in {@code wanted} means the key must be absent. */
  private static boolean containsAll(Map<String, String> actual, Map<String, String> wanted) {
    Map<String, String> present = actual == null ? Map.of() : actual;
    return wanted.entrySet().stream()
        .allMatch(e -> Objects.equals(present.get(e.getKey()), e.getValue()));
  }

  private static Map<String, String> merged(Map<String, String> existing, Map<String, String> ours) {
    Map<String, String> result = new HashMap<>(existing == null ? Map.of() : existing);
    ours.forEach((key, value) -> {
      if (value == null) {
        result.remove(key);
      } else {
        result.put(key, value);
      }
    });
    return result;
  }

  static OwnerReference ownerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
