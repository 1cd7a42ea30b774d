package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.TokenPolicy;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.testing.CredentialFixtures;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's commands one by one, in process: what they refuse and what they leave alone.
 * KubectlPluginIT runs the packaged plugin through the real kubectl.
 */
class PluginCommandsTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  EmbeddedApiServer server;
  KubernetesClient client;
  @TempDir Path dir;

  @BeforeEach
  void cluster() {
    server = EmbeddedApiServer.start();
    client = server.newClient();
    server.installCrd(client);
    client.resource(CredentialFixtures.secretRefCredential("shop", "src", TargetMode.TOKEN))
        .create();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private CliRun.Result refresh(String... args) {
    return CliRun.run(new RefreshTokenCommand(server::newClient, Clock.fixed(NOW,
        ZoneOffset.UTC)), args);
  }

  @Test
  void refreshTokenSetsOnlyTheAnnotation() {
    String spec = client.getKubernetesSerialization().asJson(credential().getSpec());
    CliRun.Result result = refresh("refresh-token", "shop", "-n", "payments");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(credential().getMetadata().getAnnotations())
        .containsEntry(ApiLabels.REFRESH_TOKEN, NOW.toString());
    assertThat(client.getKubernetesSerialization().asJson(credential().getSpec()))
        .isEqualTo(spec);
  }

  @Test
  void aPendingRefreshIsNotAskedTwice() {
    refresh("refresh-token", "shop", "-n", "payments");
    long writes = server.writes().size();
    CliRun.Result again = refresh("refresh-token", "shop", "-n", "payments");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("already requested");
    assertThat(server.writes()).hasSize((int) writes);
  }

  @Test
  void refreshTokenRefusesWhatCannotWork() {
    ReloadlyCredential noTokens = CredentialFixtures.secretRefCredential("keys", "src",
        TargetMode.CREDENTIALS);
    TokenPolicy off = new TokenPolicy();
    off.setEnabled(false);
    noTokens.getSpec().setToken(off);
    client.resource(noTokens).create();
    CliRun.Result disabled = refresh("refresh-token", "keys", "-n", "payments");
    assertThat(disabled.exitCode()).isEqualTo(1);
    assertThat(disabled.err()).contains("does not mint tokens");
    assertThat(credential("keys").getMetadata().getAnnotations()).isNullOrEmpty();

    assertThat(refresh("refresh-token", "nope", "-n", "payments").err())
        .contains("ReloadlyCredential payments/nope not found");
    CliRun.Result badTimeout = refresh("refresh-token", "shop", "-n", "payments", "--wait",
        "--timeout", "soon");
    assertThat(badTimeout.exitCode()).isEqualTo(2);
    assertThat(badTimeout.err()).contains("--timeout: 'soon'");
    CliRun.Result twice = refresh("refresh-token", "shop", "--name", "shop", "-n", "payments");
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("not both");
  }

  @Test
  void refreshTokenWaitGivesUpWithAHint() {
    CliRun.Result result = refresh("refresh-token", "shop", "-n", "payments", "--wait",
        "--timeout", "1s");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("has not answered within 1s; is it running?",
        "kubectl reloadly status shop -n payments");
  }

  @Test
  void fetchCertWithoutTheOperatorSaysWhere() {
    CliRun.Result result = CliRun.run(new FetchCertCommand(server::newClient), "fetch-cert",
        "--operator-namespace", "ops");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip()).isEqualTo("error: ConfigMap ops/reloadly-sealing-keys not"
        + " found; is the operator installed in namespace ops? (--operator-namespace)");
  }

  @Test
  void contextAndKubeconfigAreCheckedBeforeAnyRequest() throws IOException {
    Path kubeconfig = dir.resolve("config");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: dev, context: {cluster: c, user: u, namespace: team-a}}]
        current-context: dev
        """);
    ClusterOptions options = new ClusterOptions();
    options.kubeconfig = kubeconfig;
    assertThat(options.defaultNamespace()).isEqualTo("team-a");
    options.context = "prod";
    assertThat(org.assertj.core.api.Assertions.catchThrowable(options::defaultNamespace))
        .hasMessage("--context: no context prod in kubeconfig " + kubeconfig);
    options.kubeconfig = dir.resolve("missing");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(options::open))
        .hasMessage("--kubeconfig: " + dir.resolve("missing") + " is not a file");
  }

  @Test
  void completionWalksCommandsOptionsAndValues() {
    var root = KubectlReloadly.commandLine().getCommandSpec();
    assertThat(names(CompletionCommand.complete(root, List.of(""), List.of())))
        .contains("status", "seal", "fetch-cert", "refresh-token", "compromise", "report",
            "completion", "help")
        .doesNotContain("__complete");
    assertThat(names(CompletionCommand.complete(root, List.of("seal", "--f"), List.of())))
        .containsExactlyInAnyOrder("--field", "--fetch", "--file");
    CompletionCommand.Answer kubeconfig = CompletionCommand.complete(root,
        List.of("status", "--kubeconfig", ""), List.of());
    assertThat(kubeconfig.directive()).isEqualTo(CompletionCommand.FILE_COMPLETION);
    assertThat(names(CompletionCommand.complete(root, List.of("report", "-o=json", "-A", "-o",
        "y"), List.of()))).containsExactly("yaml");
    assertThat(names(CompletionCommand.complete(root, List.of("status", "--context", "p"),
        List.of("prod", "dev", "preview")))).containsExactly("prod", "preview");
  }

  private static List<String> names(CompletionCommand.Answer answer) {
    return answer.candidates().stream().map(c -> c.split("\t")[0]).toList();
  }

  private ReloadlyCredential credential() {
    return credential("shop");
  }

  private ReloadlyCredential credential(String name) {
    return client.resources(ReloadlyCredential.class).inNamespace("payments").withName(name)
        .get();
  }

}
