package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.IncidentStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.lifecycle.VersionState;
import dev.reloadly.operator.testing.CredentialFixtures;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CompromiseCommandTest {
  static final String NS = CredentialFixtures.NAMESPACE;

  EmbeddedApiServer server;
  KubernetesClient client;

  @BeforeEach
  void cluster() {
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
  void setsTheCompromisedAnnotationWithTheReason() {
    ReloadlyCredential credential = credential("reloadly-prod");
    credential.getMetadata().setAnnotations(Map.of("team.example.com/note", "keep me"));
    create(credential);
    // Quotes, backslashes and non-ASCII must reach the API server as they were typed.
    String reason = "secret in \"build #42\" log \\ C:\\ci — Ünïcode";

    CliRun.Result result = compromise("reloadly-prod", reason);

    assertThat(result.exitCode()).isZero();
    Map<String, String> annotations = get("reloadly-prod").getMetadata().getAnnotations();
    assertThat(annotations).containsEntry(ApiLabels.COMPROMISED, reason)
        .containsEntry("team.example.com/note", "keep me");
    assertThat(result.out()).contains("reported compromised")
        .contains("docs/runbooks/compromise.md");
  }

  @Test
  void patchesOnlyTheAnnotation() {
    create(credential("reloadly-prod"));
    long before = server.writes().size();

    compromise("reloadly-prod", "leaked");

    assertThat(server.writes().subList((int) before, server.writes().size()))
        .singleElement().asString().startsWith("PATCH ");
    assertThat(get("reloadly-prod").getSpec().getSource().getSealed().getClientSecret())
        .isEqualTo("rlsealed:v1:secret");
  }

  @Test
  void warnsWhenNoVersionIsServedYet() {
    create(credential("reloadly-prod"));

    CliRun.Result result = compromise("reloadly-prod", "leaked");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).contains("no current version");
  }

  @Test
  void noWarningWhileAVersionIsServed() {
    ReloadlyCredential credential = create(credential("reloadly-prod"));
    credential.getStatus().getVersions().add(new CredentialVersionStatus("hmac-sha256:01",
        VersionState.CURRENT.wireName(), "2025-03-01T00:00:00Z", null, null));
    client.resource(credential).updateStatus();

    CliRun.Result result = compromise("reloadly-prod", "leaked");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
  }

  @Test
  void missingCredentialFailsWithOneLine() {
    CliRun.Result result = compromise("nope", "leaked");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip())
        .isEqualTo("error: ReloadlyCredential " + NS + "/nope not found");
    assertThat(server.writes()).noneMatch(w -> w.contains("/nope"));
  }

  @Test
  void emptyReasonIsRefused() {
    create(credential("reloadly-prod"));

    CliRun.Result result = compromise("reloadly-prod", "   ");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--reason is empty");
    assertThat(get("reloadly-prod").getMetadata().getAnnotations()).doesNotContainKey(
        ApiLabels.COMPROMISED);
  }

  @Test
  void multiLineReasonIsRefused() {
    create(credential("reloadly-prod"));

    CliRun.Result result = compromise("reloadly-prod", "leaked\nsee ticket");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("one line");
  }

  @Test
  void sameReasonAgainChangesNothing() {
    create(credential("reloadly-prod"));
    compromise("reloadly-prod", "leaked");
    long before = server.writes().size();

    CliRun.Result again = compromise("reloadly-prod", "leaked");

    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("nothing changed");
    assertThat(server.writes()).hasSize((int) before);
  }

  @Test
  void reasonOfAnEarlierIncidentIsRefused() {
    ReloadlyCredential credential = create(credential("reloadly-prod"));
    credential.getStatus().getIncidents().add(
        new IncidentStatus("2025-03-01T00:00:00Z", "leaked", "hmac-sha256:00", "token"));
    client.resource(credential).updateStatus();

    CliRun.Result result = compromise("reloadly-prod", "leaked");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("give a distinct --reason");
  }

  private CliRun.Result compromise(String name, String reason) {
    return CliRun.run(new CompromiseCommand(server::newClient), "compromise", "--namespace", NS,
        "--name", name, "--reason", reason);
  }

  private static ReloadlyCredential credential(String name) {
    return CredentialFixtures.sealedCredential(name, "rlsealed:v1:id", "rlsealed:v1:secret",
        TargetMode.TOKEN);
  }

  private ReloadlyCredential create(ReloadlyCredential credential) {
    return client.resource(credential).create();
  }

  private ReloadlyCredential get(String name) {
    return client.resources(ReloadlyCredential.class).inNamespace(NS).withName(name).get();
  }
}
