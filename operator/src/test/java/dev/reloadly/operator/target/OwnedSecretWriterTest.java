package dev.reloadly.operator.target;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one ownership rule: write only differences, and never over a Secret someone else owns. */
@EnableKubernetesMockClient(crud = true)
class OwnedSecretWriterTest {
  static final Map<String, String> LABELS = Map.of(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE,
      ApiLabels.CREDENTIAL, "shop");

  KubernetesClient client;
  private OwnedSecretWriter writer;
  private ReloadlyCredential owner;
  private final List<Secret> written = new ArrayList<>();

  @BeforeEach
  void setUp() {
    writer = new OwnedSecretWriter(client);
    owner = secretRefCredential("shop", "src", TargetMode.CREDENTIALS);
    owner.getMetadata().setUid("uid-shop");
  }

  @Test
  void createsTheSecretOwnedByTheCredential() {
    OwnedSecretWriter.Outcome outcome = write(Map.of("k", b64("v1")), Map.of("a", "1"),
        Optional.empty());

    assertThat(outcome).isEqualTo(OwnedSecretWriter.Outcome.CREATED);
    Secret secret = get();
    assertThat(secret.getData()).containsExactly(Map.entry("k", b64("v1")));
    assertThat(secret.getMetadata().getLabels()).containsAllEntriesOf(LABELS);
    assertThat(secret.getMetadata().getAnnotations()).containsEntry("a", "1");
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getUid()).isEqualTo("uid-shop");
      assertThat(ref.getController()).isTrue();
      assertThat(ref.getBlockOwnerDeletion()).isTrue();
    });
    assertThat(OwnedSecretWriter.isOwnedBy(secret, owner)).isTrue();
    assertThat(written).singleElement()
        .satisfies(s -> assertThat(s.getMetadata().getResourceVersion()).isNotNull());
  }

  @Test
  void theSameContentIsNotWrittenAgain() {
    write(Map.of("k", b64("v1")), Map.of("a", "1"), Optional.empty());
    Secret current = get();

    OwnedSecretWriter.Outcome outcome = write(Map.of("k", b64("v1")), Map.of("a", "1"),
        Optional.of(current));

    assertThat(outcome).isEqualTo(OwnedSecretWriter.Outcome.UNCHANGED);
    assertThat(get().getMetadata().getResourceVersion())
        .isEqualTo(current.getMetadata().getResourceVersion());
    assertThat(written).hasSize(1);
  }

  @Test
  void aDifferenceIsWrittenKeepingLabelsAndAnnotationsOfOthers() {
    write(Map.of("k", b64("v1"), "old", b64("x")), Map.of("a", "1", "gone", "soon"),
        Optional.empty());
    Secret theirs = new SecretBuilder(get()).editMetadata().addToLabels("team", "payments")
        .addToAnnotations("note", "theirs").endMetadata().build();
    theirs = client.resource(theirs).update();

    Map<String, String> annotations = new HashMap<>();
    annotations.put("a", "2");
    annotations.put("gone", null);
    OwnedSecretWriter.Outcome outcome = write(Map.of("k", b64("v2")), annotations,
        Optional.of(theirs));

    assertThat(outcome).isEqualTo(OwnedSecretWriter.Outcome.UPDATED);
    Secret secret = get();
    assertThat(secret.getData()).as("exactly the data asked for")
        .containsExactly(Map.entry("k", b64("v2")));
    assertThat(secret.getMetadata().getLabels()).containsEntry("team", "payments")
        .containsAllEntriesOf(LABELS);
    assertThat(secret.getMetadata().getAnnotations()).containsEntry("note", "theirs")
        .containsEntry("a", "2").doesNotContainKey("gone");
    assertThat(written).last().isEqualTo(secret);
  }

  @Test
  void aSecretOfSomeoneElseIsNeverTakenOver() {
    client.resource(new SecretBuilder().withNewMetadata().withName("shop-reloadly")
        .withNamespace(NAMESPACE).endMetadata().withData(Map.of("app", b64("theirs"))).build())
        .create();

    OwnedSecretWriter.Outcome outcome = write(Map.of("k", b64("v1")), Map.of(), Optional.empty());

    assertThat(outcome).isEqualTo(OwnedSecretWriter.Outcome.CONFLICT);
    Secret secret = get();
    assertThat(secret.getData()).containsOnlyKeys("app");
    assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(written).isEmpty();
  }

  @Test
  void aSecretOwnedByAnotherCredentialIsNeverTakenOver() {
    write(Map.of("k", b64("v1")), Map.of(), Optional.empty());
    ReloadlyCredential recreated = secretRefCredential("shop", "src", TargetMode.CREDENTIALS);
    recreated.getMetadata().setUid("uid-other");

    OwnedSecretWriter.Outcome outcome = writer.write(recreated, "shop-reloadly", LABELS, Map.of(),
        Map.of("k", b64("v2")), Optional.of(get()), written::add);

    assertThat(outcome).isEqualTo(OwnedSecretWriter.Outcome.CONFLICT);
    assertThat(get().getData()).containsEntry("k", b64("v1"));
  }

  @Test
  void ourSecretTheCacheHasNotSeenYetIsFoundAndUpdated() {
    write(Map.of("k", b64("v1")), Map.of(), Optional.empty());

    OwnedSecretWriter.Outcome outcome = write(Map.of("k", b64("v2")), Map.of(), Optional.empty());

    assertThat(outcome).isEqualTo(OwnedSecretWriter.Outcome.UPDATED);
    assertThat(get().getData()).containsEntry("k", b64("v2"));
  }

  @Test
  void aStaleCacheFailsWithAConflictInsteadOfOverwritingANewerChange() {
    write(Map.of("k", b64("v1")), Map.of(), Optional.empty());
    Secret stale = get();
    client.resource(new SecretBuilder(stale).editMetadata().addToLabels("team", "payments")
        .endMetadata().build()).update();

    assertThatThrownBy(() -> write(Map.of("k", b64("v2")), Map.of(), Optional.of(stale)))
        .isInstanceOfSatisfying(KubernetesClientException.class,
            e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(get().getData()).containsEntry("k", b64("v1"));
    assertThat(get().getMetadata().getLabels()).containsEntry("team", "payments");
  }

  private OwnedSecretWriter.Outcome write(Map<String, String> data,
      Map<String, String> annotations, Optional<Secret> cached) {
    return writer.write(owner, "shop-reloadly", LABELS, annotations, data, cached, written::add);
  }

  private Secret get() {
    return client.secrets().inNamespace(NAMESPACE).withName("shop-reloadly").get();
  }
}
