package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.Main;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that needs the cluster fails the same way when it cannot have it: one line
 * naming the kubeconfig, the server and the cause, exit code 1, within seconds.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterConnectionTest {
  /** Generous: a refused connection on loopback fails at once; Fabric8's retries took 20 s. */
  static final Duration FAST = Duration.ofSeconds(10);

  KubernetesMockServer server;

  @TempDir Path dir;

  @AfterEach
  void forgetKubeconfig() {
    System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
  }

  static Stream<Arguments> clusterCommands() {
    return Stream.of(
        Arguments.of((Supplier<Object>) RunCommand::new,
            new String[] {"run", "--metrics-port=0"}),
        Arguments.of((Supplier<Object>) CompromiseCommand::new,
            new String[] {"compromise", "--namespace", "payments", "--name", "shop",
                "--reason", "printed in a CI log"}),
        Arguments.of((Supplier<Object>) () -> new SealCommand(
                new ByteArrayInputStream("value".getBytes(StandardCharsets.UTF_8)),
                ClusterConnection::open),
            new String[] {"seal", "--fetch", "--namespace", "payments", "--name", "shop",
                "--field", "clientSecret"}),
        Arguments.of((Supplier<Object>) RotateKekCommand::new, new String[] {"rotate-kek"}));
  }

  @ParameterizedTest
  @MethodSource("clusterCommands")
  void unreachableServerIsOneLineNamingKubeconfigServerAndCause(Supplier<Object> command,
      String[] args) throws IOException {
    int port = closedPort();
    Path kubeconfig = kubeconfig("https://127.0.0.1:" + port);
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());

    long started = System.nanoTime();
    CliRun.Result result = CliRun.run(command.get(), args);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(result.err().lines()).as(result.err()).singleElement().asString()
        .startsWith("error: cannot reach the Kubernetes API server https://127.0.0.1:" + port)
        .contains("kubeconfig " + kubeconfig, "context test-context", "connection refused");
    assertThat(took).isLessThan(FAST);
  }

  @ParameterizedTest
  @MethodSource("clusterCommands")
  void garbageKubeconfigIsOneLineNamingTheFile(Supplier<Object> command, String[] args)
      throws IOException {
    Path kubeconfig = Files.writeString(dir.resolve("broken-config"),
        "apiVersion: v1\nclusters: [ {name: a\n  token: CANARY-t0ken\n");
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());

    CliRun.Result result = CliRun.run(command.get(), args);

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(result.err().lines()).as(result.err()).singleElement().asString()
        .startsWith("error: cannot read kubeconfig " + kubeconfig + ": not valid YAML (line ");
    assertThat(result.all()).doesNotContain("CANARY-t0ken");
  }

  @Test
  void reachableServerGivesAClient() throws IOException {
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE,
        kubeconfig(server.url("/").replaceAll("/$", "")).toString());

    try (KubernetesClient client = ClusterConnection.open()) {
      assertThat(client.getMasterUrl().toString()).startsWith(server.url("/"));
    }
  }

  @Test
  void probeDoesNotRetryAndTimesOutQuickly() {
    // An address that swallows packets would wait for these, not for Fabric8's 10 s and retries.
    assertThat(ClusterConnection.PROBE_CONNECT_TIMEOUT).isLessThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(ClusterConnection.PROBE_REQUEST_TIMEOUT).isLessThanOrEqualTo(Duration.ofSeconds(5));
  }

  /** Through the environment variable, as a user sets it, in a JVM of its own. */
  @Test
  void kubeconfigFromTheEnvironmentIsNamed() throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("env-config"), "clusters: [\n");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "rotate-kek"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(err).isEqualTo(1);
    assertThat(err.lines()).as(err).singleElement().asString()
        .startsWith("error: cannot read kubeconfig " + kubeconfig);
  }

  private Path kubeconfig(String serverUrl) throws IOException {
    return Files.writeString(dir.resolve("config"), String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: test-cluster",
        "  cluster:",
        "    server: " + serverUrl,
        "    insecure-skip-tls-verify: true",
        "contexts:",
        "- name: test-context",
        "  context:",
        "    cluster: test-cluster",
        "    user: test-user",
        "current-context: test-context",
        "users:",
        "- name: test-user",
        "  user:",
        "    token: not-a-real-token",
        ""));
  }

  /** A loopback port nobody listens on: bound once by us, then released. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
