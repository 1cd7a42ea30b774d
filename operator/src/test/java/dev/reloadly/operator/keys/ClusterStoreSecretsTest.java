package dev.reloadly.operator.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.store.StoredVersions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing store Secrets only where the operator watches, against the mock server. */
@EnableKubernetesMockClient(crud = true)
class ClusterStoreSecretsTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void stores() {
    for (String namespace : new String[] {"team-a", "team-b", "team-c"}) {
      client.resource(store(namespace)).create();
    }
  }

  @Test
  void withWatchNamespacesOnlyThoseAreListed() {
    StoreSecrets.Listing listing =
        new ClusterStoreSecrets(client, Set.of("team-a", "team-b")).list();

    assertThat(listing.secrets()).extracting(s -> s.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(listing.forbiddenNamespaces()).isEmpty();
    assertThat(server.getRequestCount()).isPositive();
  }

  @Test
  void withoutWatchNamespacesAllAreListed() {
    StoreSecrets.Listing listing = new ClusterStoreSecrets(client, Set.of()).list();

    assertThat(listing.secrets()).extracting(s -> s.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b", "team-c");
  }

  @Test
  void aForbiddenNamespaceIsReportedAndTheOthersStillListed() {
    server.expect().get()
        .withPath("/api/v1/namespaces/team-b/secrets?labelSelector="
            + encode(ClusterStoreSecrets.SELECTOR))
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
            .withMessage("secrets is forbidden").build())
        .always();

    StoreSecrets.Listing listing =
        new ClusterStoreSecrets(client, Set.of("team-a", "team-b")).list();

    assertThat(listing.secrets()).extracting(s -> s.getMetadata().getNamespace())
        .containsExactly("team-a");
    assertThat(listing.forbiddenNamespaces()).containsExactly("team-b");
  }

  private static String encode(String selector) {
    return java.net.URLEncoder.encode(selector, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Secret store(String namespace) {
    return new SecretBuilder().withNewMetadata().withNamespace(namespace)
        .withName(StoredVersions.secretName("shop"))
        .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .addToLabels(ApiLabels.COMPONENT, StoredVersions.COMPONENT)
        .endMetadata().build();
  }
}
