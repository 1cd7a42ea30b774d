package dev.reloadly.operator.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMetadataStoreTest {

  @Test
  void keepsNamespaceNameAndResourceVersionOnly() {
    SecretMetadataStore store = new SecretMetadataStore();
    GenericKubernetesResource full = wholeSecret("payments", "db", "41");

    String key = store.getKey(full);
    assertThat(store.put(key, full)).as("nothing held before").isNull();

    GenericKubernetesResource held = store.get(key);
    assertThat(key).isEqualTo("payments/db");
    assertThat(held.getMetadata().getNamespace()).isEqualTo("payments");
    assertThat(held.getMetadata().getName()).isEqualTo("db");
    assertThat(held.getMetadata().getResourceVersion()).isEqualTo("41");
    assertThat(held.getAdditionalProperties()).isEmpty();
    assertThat(held.getMetadata().getLabels()).isEmpty();
    assertThat(held.getMetadata().getAnnotations()).isEmpty();
    assertThat(held.getMetadata().getManagedFields()).isEmpty();
    assertThat(held.getMetadata().getUid()).isNull();
  }

  @Test
  void putReturnsWhatWasHeldAndRemoveForgets() {
    SecretMetadataStore store = new SecretMetadataStore();
    store.put("payments/db", wholeSecret("payments", "db", "41"));

    GenericKubernetesResource previous = store.put("payments/db", wholeSecret("payments", "db", "42"));

    assertThat(previous.getMetadata().getResourceVersion()).isEqualTo("41");
    assertThat(store.values()).singleElement()
        .satisfies(s -> assertThat(s.getMetadata().getResourceVersion()).isEqualTo("42"));
    assertThat(store.remove("payments/db").getMetadata().getName()).isEqualTo("db");
    assertThat(store.size()).isZero();
    assertThat(store.get("payments/db")).isNull();
  }

  @Test
  void acceptHeaderAsksForMetadataOnListsAndWatchesOfSecrets() {
    assertThat(MetadataOnlyClient.acceptFor(request("/api/v1/namespaces/a/secrets?limit=500")))
        .contains(MetadataOnlyClient.LIST_ACCEPT);
    assertThat(MetadataOnlyClient.acceptFor(request("/api/v1/secrets?watch=true&labelSelector=x")))
        .contains(MetadataOnlyClient.WATCH_ACCEPT);
    assertThat(MetadataOnlyClient.acceptFor(request("/api/v1/namespaces/a/secrets/db"))).isEmpty();
    assertThat(MetadataOnlyClient.LIST_ACCEPT)
        .startsWith("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
    assertThat(MetadataOnlyClient.WATCH_ACCEPT)
        .startsWith("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
  }

  private static URI request(String pathAndQuery) {
    return URI.create("https://api.example:6443" + pathAndQuery);
  }

  private static GenericKubernetesResource wholeSecret(String namespace, String name,
      String version) {
    GenericKubernetesResource secret = new GenericKubernetesResource();
    secret.setApiVersion("v1");
    secret.setKind("Secret");
    secret.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name)
        .withResourceVersion(version).withUid("u-1")
        .withLabels(Map.of("app", "db")).withAnnotations(Map.of("a", "b"))
        .withManagedFields(List.of(new ManagedFieldsEntry())).build());
    secret.setAdditionalProperty("data", Map.of("password", "c2VjcmV0"));
    secret.setAdditionalProperty("type", "Opaque");
    return secret;
  }
}
