package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.crypto.SealedValue;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.keys.OperatorKeyStore;
import dev.reloadly.operator.testing.CredentialFixtures;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as users get it: the packaged archive unpacked into a directory on PATH, run by the
 * real kubectl against an API server (the mock server in CRUD mode) where the real operator has
 * reconciled a credential. Runs after {@code package} (failsafe), because it needs the jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlPluginIT {
  static final String NS = CredentialFixtures.NAMESPACE;
  static final String CLIENT_ID = "plugin-canary-client-id";
  static final String SECRET = "plugin-canary-secret-4f1d9a";
  static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final ObjectMapper json = new ObjectMapper();
  OperatorHarness harness;
  @TempDir static Path home;
  Path bin;
  Path kubeconfig;
  int deadPort;

  @BeforeAll
  void installPluginAndReconcileACredential() throws Exception {
    Path archive = Path.of(System.getProperty("plugin.archive",
        "target/kubectl-reloadly.tar.gz"));
    assertThat(archive).as("built by package; run through ./mvnw verify").exists();
    bin = Files.createDirectories(home.resolve("bin"));
    Process untar = new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString(), "-C",
        bin.toString()).inheritIO().start();
    assertThat(untar.waitFor(60, TimeUnit.SECONDS) && untar.exitValue() == 0).isTrue();

    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential(CLIENT_ID, SECRET);
    harness.start();
    var client = harness.client();
    client.resource(CredentialFixtures.sourceSecret("shop-source", CLIENT_ID, SECRET)).create();
    Workloads.create(client, Workloads.workload(WorkloadKind.Deployment, NS, "checkout",
        "shop-reloadly", Workloads.Reading.VOLUME));
    client.resource(CredentialFixtures.withConsumer(CredentialFixtures.secretRefCredential(
        "shop", "shop-source", TargetMode.TOKEN), WorkloadKind.Deployment, "checkout")).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> harness.condition("shop",
        Conditions.READY).map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false));
    harness.awaitSettled();

    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = socket.getLocalPort();
    }
    // Current context: a cluster that is not there. Tests choose "mock" with --context.
    kubeconfig = home.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s"}
        - name: gone
          cluster: {server: "https://127.0.0.1:%d"}
        users:
        - name: admin
          user: {token: admin-token}
        contexts:
        - name: mock
          context: {cluster: mock, user: admin, namespace: payments}
        - name: gone
          context: {cluster: gone, user: admin}
        current-context: gone
        """.formatted(client.getMasterUrl(), deadPort));
  }

  @AfterAll
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void kubectlFindsThePlugin() {
    Run list = kubectl("plugin", "list");
    assertThat(list.out()).contains(bin.resolve("kubectl-reloadly").toString());
    Run help = kubectl("reloadly", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: kubectl reloadly", "status", "seal", "fetch-cert",
        "refresh-token", "compromise", "report", "completion", "Exit codes:");
  }

  /** The krew manifest names what the archive holds, and its bin is the launcher. */
  @Test
  void krewManifestMatchesTheArchive() throws IOException {
    JsonNode manifest = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readTree(Path.of(System.getProperty("project.root", "..")).resolve(
            "docs/krew/reloadly.yaml").toFile());
    assertThat(manifest.at("/metadata/name").asText()).isEqualTo("reloadly");
    JsonNode platform = manifest.at("/spec/platforms/0");
    assertThat(Files.isExecutable(bin.resolve(platform.get("bin").asText()))).isTrue();
    List<String> from = new ArrayList<>();
    platform.get("files").forEach(f -> from.add(f.get("from").asText()));
    try (var unpacked = Files.list(bin)) {
      assertThat(from).containsExactlyInAnyOrderElementsOf(
          unpacked.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void statusTablePrintsWhatTheStatusHolds() {
    ReloadlyCredentialStatus status = harness.credential("shop").getStatus();
    Run run = kubectl("reloadly", "status", "-n", NS, "--context", "mock");
    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0).split("\\s{3,}")).containsExactly("NAME", "READY", "REASON",
        "VERSION", "NEXT ROTATION", "TOKEN EXPIRES", "CONSUMERS", "COMPLIANT", "AGE");
    String[] row = lines.stream().filter(l -> l.startsWith("shop ")).findFirst().orElseThrow()
        .split("\\s{3,}");
    Condition ready = Conditions.find(status.getConditions(), Conditions.READY).orElseThrow();
    String current = status.getVersions().stream().filter(v -> "current".equals(v.getState()))
        .findFirst().orElseThrow().getFingerprint();
    assertThat(row[0]).isEqualTo("shop");
    assertThat(row[1]).isEqualTo(ready.getStatus()).isEqualTo("True");
    assertThat(row[2]).isEqualTo(ready.getReason());
    assertThat(current).contains(row[3]);
    assertThat(row[3]).isEqualTo(status.getCurrentVersion())
        .hasSize(CredentialFingerprinter.SHORT_HEX);
    assertThat(row[4]).startsWith("in ").endsWith("d");
    assertThat(row[5]).startsWith("in ");
    assertThat(row[6]).isEqualTo(String.valueOf(status.getConsumers().size())).isEqualTo("1");
    assertThat(row[7]).isEqualTo(Conditions.find(status.getConditions(), Conditions.COMPLIANT)
        .map(Condition::getStatus).orElse("<none>"));
  }

  @Test
  void statusOfOneCredentialShowsEverySection() {
    ReloadlyCredentialStatus status = harness.credential("shop").getStatus();
    // No -n: the namespace of the chosen context; --kubeconfig instead of KUBECONFIG.
    Run run = run(List.of("kubectl", "reloadly", "status", "shop", "--context", "mock",
        "--kubeconfig", kubeconfig.toString()), Map.of("KUBECONFIG", "/nonexistent"), null);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Name:", "shop", "Namespace:", NS, "Target Secret:",
        status.getTargetSecretName(), "Token expires:", status.getTokenExpiresAt(),
        "Next rotation:", status.getNextRotationAt(), "Conditions:", "Versions:", "Consumers:",
        "checkout", "Compliance checks:");
    status.getConditions().forEach(c -> assertThat(run.out()).contains(c.getType()));
    status.getCompliance().getChecks().forEach(c -> assertThat(run.out()).contains(c.getName()));
  }

  @Test
  void statusAsJsonCarriesTheWholeStatus() throws IOException {
    ReloadlyCredential credential = harness.credential("shop");
    Run run = kubectl("reloadly", "status", "shop", "-n", NS, "--context", "mock", "-o", "json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode printed = json.readTree(run.out());
    assertThat(printed.get("ready").asText()).isEqualTo("True");
    assertThat(printed.get("tokenExpiresAt").asText())
        .isEqualTo(credential.getStatus().getTokenExpiresAt());
    assertThat(printed.get("status")).isEqualTo(json.readTree(
        harness.client().getKubernetesSerialization().asJson(credential.getStatus())));
    Run yaml = kubectl("reloadly", "status", "-A", "--context", "mock", "-o", "yaml");
    assertThat(yaml.out()).contains("name: \"shop\"", "namespace: \"payments\"");
  }

  @Test
  void refreshTokenWaitsForTheOperatorsAnswer() {
    String before = harness.credential("shop").getStatus().getTokenExpiresAt();
    clock.advance(Duration.ofMinutes(30));
    Run run = kubectl("reloadly", "refresh-token", "shop", "-n", NS, "--context", "mock",
        "--wait", "--timeout", "30s");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    String after = harness.credential("shop").getStatus().getTokenExpiresAt();
    assertThat(after).isNotEqualTo(before);
    assertThat(run.out()).contains("token refresh requested", "new token valid until " + after);
    assertThat(harness.credential("shop").getMetadata().getAnnotations())
        .doesNotContainKey(ApiLabels.REFRESH_TOKEN);
  }

  @Test
  void fetchCertThenSealOffline() throws IOException {
    Path cert = home.resolve("public-keys.json");
    Run fetch = kubectl("reloadly", "fetch-cert", "--context", "mock", "--operator-namespace",
        OperatorHarness.OPERATOR_NAMESPACE, "--file", cert.toString());
    assertThat(fetch.code()).as(fetch.err()).isZero();
    String published = harness.client().configMaps()
        .inNamespace(OperatorHarness.OPERATOR_NAMESPACE).withName(OperatorKeyStore.CONFIG_MAP)
        .get().getData().get(OperatorKeyStore.PUBLIC_KEYS);
    assertThat(Files.readString(cert).strip()).isEqualTo(published.strip());
    String newest = SealingKeyRing.parsePublicDocument(published).newest().keyId();
    assertThat(fetch.err()).contains("newest " + newest);

    // Offline: the current context is unreachable and -n is given, so nothing is contacted.
    Run seal = run(List.of("kubectl", "reloadly", "seal", "shop", "-n", NS, "--field",
        "clientSecret", "--cert", cert.toString()), Map.of(), SECRET + "\n");
    assertThat(seal.code()).as(seal.err()).isZero();
    assertThat(SealedValue.keyIdOf(seal.out().strip())).isEqualTo(newest);
    assertThat(seal.out() + seal.err()).doesNotContain(SECRET);
  }

  @Test
  void reportAsJson() throws IOException {
    Run run = kubectl("reloadly", "report", "-A", "--context", "mock", "-o", "json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode shop = null;
    for (JsonNode row : json.readTree(run.out())) {
      shop = "shop".equals(row.get("name").asText()) ? row : shop;
    }
    assertThat(shop).isNotNull();
    assertThat(shop.get("score").asText())
        .isEqualTo(harness.credential("shop").getStatus().getCompliance().getScore());
  }

  @Test
  void compromiseSetsTheAnnotationOnly() {
    // Its own client secret: a compromise denies that secret to every credential in the cluster.
    harness.simulator().allowCredential("plugin-other-client-id", "plugin-other-secret-77e0");
    harness.client().resource(CredentialFixtures.sourceSecret("other-source",
        "plugin-other-client-id", "plugin-other-secret-77e0")).create();
    harness.client().resource(CredentialFixtures.secretRefCredential("other", "other-source",
        TargetMode.TOKEN)).create();
    String specBefore = specOf("other");
    Run run = kubectl("reloadly", "compromise", "other", "--context", "mock", "--reason",
        "printed in a CI log 2026-11-25");
    assertThat(run.code()).as(run.err()).isZero();
    ReloadlyCredential after = harness.credential("other");
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry(ApiLabels.COMPROMISED, "printed in a CI log 2026-11-25");
    assertThat(specOf("other")).isEqualTo(specBefore);
  }

  @Test
  void failuresAreOneLineWithDocumentedExitCodes() {
    Run missing = kubectl("reloadly", "status", "nope", "-n", NS, "--context", "mock");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err().strip()).isEqualTo("error: ReloadlyCredential payments/nope not found");

    Run badFormat = kubectl("reloadly", "status", "-o", "xml", "--context", "mock");
    assertThat(badFormat.code()).isEqualTo(2);
    assertThat(badFormat.err()).contains("xml", "see: kubectl reloadly status --help");

    Run badContext = kubectl("reloadly", "status", "--context", "typo");
    assertThat(badContext.code()).isEqualTo(1);
    assertThat(badContext.err().strip()).startsWith("error: --context: no context typo");

    Run unreachable = kubectl("reloadly", "status", "-n", NS);
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err().lines()).singleElement().asString()
        .startsWith("error: cannot reach the Kubernetes API server https://127.0.0.1:" + deadPort)
        .contains("context gone");
  }

  @Test
  void completionThroughKubectlAndAsAScript() {
    Run sub = kubectl("__complete", "reloadly", "re");
    assertThat(sub.out().lines().map(l -> l.split("\t")[0]))
        .containsExactly("refresh-token", "report", ":4");
    Run format = kubectl("__complete", "reloadly", "status", "-o", "");
    assertThat(format.out().lines()).containsExactly("table", "json", "yaml", ":4");
    Run contexts = kubectl("__complete", "reloadly", "status", "--context", "");
    assertThat(contexts.out().lines()).containsExactly("mock", "gone", ":4");

    Run script = run(List.of("bash", "-c",
        "source <(kubectl reloadly completion bash) && complete -p kubectl-reloadly"), Map.of(),
        null);
    assertThat(script.code()).as(script.err()).isZero();
    assertThat(script.out()).contains("kubectl-reloadly");
  }

  private String specOf(String name) {
    return harness.client().getKubernetesSerialization().asJson(harness.credential(name)
        .getSpec());
  }

  private Run kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(Arrays.asList(args));
    return run(command, Map.of(), null);
  }

  /** Runs with the plugin first on PATH, this test's kubeconfig, and nothing from ~/.kube. */
  private Run run(List<String> command, Map<String, String> env, String stdin) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("HOME", home.toString());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      assertThat(process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS))
          .as("%s finished within %s", command, COMMAND_LIMIT).isTrue();
      return new Run(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  record Run(int code, String out, String err) {}
}
