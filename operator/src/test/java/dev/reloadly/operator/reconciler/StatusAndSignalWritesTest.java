package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two writes the operator makes to a credential: its status, and removing a signal. */
class StatusAndSignalWritesTest {
  private EmbeddedApiServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = EmbeddedApiServer.start();
    client = server.newClient();
    server.installCrd(client);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aStatusComputedFromAnOlderCopyDoesNotOverwriteANewerOne() {
    ReloadlyCredential stale = create(Map.of());
    StatusWriter writer = new StatusWriter(client);
    ReloadlyCredentialStatus newer = status("newer");
    ReloadlyCredential current = get();
    assertThat(writer.write(current, newer)).isPresent();

    assertThat(writer.write(stale, status("stale"))).as("conflict").isEmpty();
    assertThat(get().getStatus().getTargetSecretName()).isEqualTo("newer");
  }

  @Test
  void aStatusWriteReplacesTheStatusAndReturnsTheNewResourceVersion() {
    ReloadlyCredential read = create(Map.of());
    ReloadlyCredential written = new StatusWriter(client).write(read, status("one")).orElseThrow();

    assertThat(written.getMetadata().getResourceVersion())
        .isNotEqualTo(read.getMetadata().getResourceVersion());
    assertThat(get().getStatus().getTargetSecretName()).isEqualTo("one");
  }

  @Test
  void clearingASignalRemovesOnlyThatAnnotation() {
    ReloadlyCredential read = create(Map.of(ApiLabels.REFRESH_TOKEN, "now", "team", "payments"));

    assertThat(new SignalAnnotations(client).clear(read, ApiLabels.REFRESH_TOKEN)).isPresent();

    assertThat(get().getMetadata().getAnnotations()).containsOnlyKeys("team");
  }

  /**
   * A real API server answers 422 to a JSON patch that removes an absent path (the test server in
   * CRUD mode accepts it), so this one runs against expectations that answer as a real one does.
   */
  @Test
  void clearingASignalSomeoneAlreadyRemovedIsDoneNotAFailure() {
    KubernetesMockServer strict = new KubernetesMockServer(false);
    strict.init(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient strictClient = strict.createClient()) {
      strict.expect().patch()
          .withPath("/apis/security.reloadly.dev/v1alpha1/namespaces/payments/reloadlycredentials/shop")
          .andReturn(422, new StatusBuilder().withCode(422).withReason("Invalid")
              .withMessage("the server rejected our request: remove of a missing path").build())
          .once();
      ReloadlyCredential read = secretRefCredential("shop", "src", TargetMode.TOKEN);

      assertThat(new SignalAnnotations(strictClient).clear(read, ApiLabels.REFRESH_TOKEN))
          .isEmpty();
    } finally {
      strict.destroy();
    }
  }

  private ReloadlyCredential create(Map<String, String> annotations) {
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.TOKEN);
    credential.getMetadata().setAnnotations(annotations);
    return client.resource(credential).create();
  }

  private ReloadlyCredential get() {
    return client.resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop").get();
  }

  private static ReloadlyCredentialStatus status(String marker) {
    ReloadlyCredentialStatus status = new ReloadlyCredentialStatus();
    status.setTargetSecretName(marker);
    return status;
  }
}
