package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad configuration stops start-up with one clear line and exit code 2, before any cluster call. */
@EnableKubernetesMockClient(crud = true)
class RunCommandTest {
  KubernetesMockServer server;

  @Test
  void missingOperatorNamespaceStopsStartUpWithOneLine() throws InterruptedException {
    CliRun.Result result = CliRun.run(new RunCommand(server::createClient),
        "run", "--namespace=reloadly-absent", "--metrics-port=0");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(result.err().lines()).singleElement().asString()
        .isEqualTo("error: the operator namespace reloadly-absent does not exist: the operator"
            + " keeps its keys there, so create it first (kubectl create namespace"
            + " reloadly-absent; the Helm chart creates it) or choose another with --namespace");
    assertThat(server.getLastRequest().getPath()).isEqualTo("/api/v1/namespaces/reloadly-absent");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--metrics-port=abc | --metrics-port: 'abc' is not a whole number",
      "--metrics-port=70000 | metrics port must be between 0 and 65535",
      "--reloadly-auth-url=http://auth.example.com/oauth/token | must use https",
      "--watch-namespaces=Payments | 'Payments' is not a namespace name",
      "--watch-namespaces=payments,Bad_NS | --watch-namespaces: 'Bad_NS' is not a namespace name",
      "--namespace=Bad_NS | --namespace: 'Bad_NS' is not a namespace name",
      "--namespace=a-namespace-name-that-is-longer-than-sixty-three-characters-in-all | --namespace:",
      "--max-concurrent-token-requests=0 | at least 1",
      "--kek-rotation=1h | --kek-rotation: must be at least 1d",
      "--sealing-key-renewal=soon | --sealing-key-renewal: Invalid duration",
  })
  void badConfigurationStopsWithOneLine(String flag, String expected) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = Main.execute("run", flag);
    } finally {
      System.setErr(original);
    }
    String output = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isEqualTo(2);
    assertThat(output.lines().findFirst().orElse("")).startsWith("error: ").contains(expected);
  }
}
