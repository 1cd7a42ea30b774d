package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reloadly.operator.Main;
import dev.reloadly.operator.logging.LogFormat;
import dev.reloadly.operator.logging.LogSetup;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run --log-format` and its environment twin LOG_FORMAT switch the log before its first line. */
@EnableKubernetesMockClient(crud = true)
class RunLogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesMockServer server;

  @TempDir
  Path dir;

  @AfterEach
  void backToPlain() {
    LogSetup.apply(LogFormat.PLAIN);
  }

  @Test
  void jsonFlagMakesTheFirstLogLineOfRunJson() throws IOException {
    String stderr = capturingStderr(() -> CliRun.run(new RunCommand(server::createClient),
        "run", "--log-format=json", "--namespace=reloadly-absent", "--metrics-port=0"));

    JsonNode first = JSON.readTree(stderr.lines().findFirst().orElseThrow());
    assertThat(first.get("message").asText()).isEqualTo("starting; log format json");
    assertThat(first.get("logger").asText()).isEqualTo(RunCommand.class.getName());
    assertThat(first.get("level").asText()).isEqualTo("INFO");
  }

  @Test
  void plainIsTheDefault() {
    String stderr = capturingStderr(() -> CliRun.run(new RunCommand(server::createClient),
        "run", "--namespace=reloadly-absent", "--metrics-port=0"));

    assertThat(stderr.lines().findFirst().orElseThrow())
        .matches("\\S+ INFO  \\[.+\\] .*RunCommand - starting; log format plain");
  }

  @Test
  void aBadFormatStopsStartUpWithOneLineNamingTheFlag() {
    int[] exit = new int[1];
    String stderr = capturingStderr(() -> exit[0] = Main.execute("run", "--log-format=xml"));

    assertThat(exit[0]).as(stderr).isEqualTo(2);
    assertThat(stderr.lines().findFirst().orElse("")).isEqualTo(
        "error: --log-format: 'xml' is not one of plain, json (flag or env LOG_FORMAT)");
  }

  @Test
  void theEnvironmentTwinLogFormatIsRead() throws Exception {
    Process json = operator(Map.of("LOG_FORMAT", "json"));
    List<String> lines = json.errorReader().lines().toList();
    assertThat(json.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(json.exitValue()).as(String.join("\n", lines)).isEqualTo(1);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("message").asText()).isEqualTo("starting; log format json");
    assertThat(lines.get(lines.size() - 1)).startsWith("error: cannot reach the Kubernetes API");

    Process bad = operator(Map.of("LOG_FORMAT", "yaml"));
    String error = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).as(error).isEqualTo(2);
    assertThat(error).startsWith(
        "error: --log-format: 'yaml' is not one of plain, json (flag or env LOG_FORMAT)");
  }

  /** The operator's main in a JVM of its own, against an API server that is not there. */
  private Process operator(Map<String, String> env) throws IOException {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: nowhere, cluster: {server: 'https://127.0.0.1:1'}}]",
        "users: [{name: someone, user: {token: not-a-real-token}}]",
        "contexts: [{name: nowhere, context: {cluster: nowhere, user: someone}}]",
        "current-context: nowhere", ""));
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "run", "--namespace=ops", "--metrics-port=0");
    builder.environment().keySet().removeIf(key -> key.startsWith("KUBERNETES_")
        || key.equals("LOG_LEVEL") || key.equals("LOG_FORMAT"));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return builder.start();
  }

  private static String capturingStderr(Runnable action) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      action.run();
    } finally {
      System.setErr(original);
    }
    return err.toString(StandardCharsets.UTF_8);
  }
}
