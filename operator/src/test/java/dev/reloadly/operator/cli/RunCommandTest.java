package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import dev.reloadly.operator.config.LeaderElection;
import dev.reloadly.operator.config.OperatorConfig;
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
      "--leader-election=yes | --leader-election: 'yes' is neither true nor false",
      "--lease-name=Operator_Lease | --lease-name: 'Operator_Lease' is not a Kubernetes object name",
      "--kek-provider=vault | --kek-provider: 'vault' is not one of local, kms-v2",
      "--kek-provider=kms-v2 | --kek-provider kms-v2 needs --kms-socket",
      "--kms-socket=plugin.sock | --kms-socket: 'plugin.sock' is not an absolute path",
      "--kms-timeout=0s | --kms-timeout: must be more than 0s and at most 5m",
      "--kms-timeout=later | --kms-timeout: Invalid duration",
      "--incident-history=0 | --incident-history: must be between 1 and 100, got 0",
      "--incident-history=101 | --incident-history: must be between 1 and 100",
      "--incident-history=many | --incident-history: 'many' is not a whole number",
      "--max-concurrent-rollouts=0 | the operator-wide rollout cap must be between 1 and 1000",
      "--argo-rollouts=maybe | --argo-rollouts: 'maybe' is neither true nor false",
      "--nat-node-selector=tier!=nat | is not an equality-based label selector",
      "--reloadly-proxy=http://proxy.internal:3128 | --reloadly-proxy: 'http://proxy.internal:3128' is not host:port",
      "--reloadly-proxy=proxy.internal | --reloadly-proxy: 'proxy.internal' is not host:port",
      "--reloadly-proxy=proxy.internal:0 | --reloadly-proxy: port of 'proxy.internal:0' must be between 1 and 65535",
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

  @Test
  void leaderElectionIsOnByDefaultWithTheDefaultLease() {
    LeaderElection election = config("--namespace=ops").leaderElection();
    assertThat(election.enabled()).isTrue();
    assertThat(election.exitWhenLost()).isTrue();
    assertThat(election.leaseName()).isEqualTo(LeaderElection.DEFAULT_LEASE_NAME);
    assertThat(election.identity()).isNotBlank();
  }

  @Test
  void leaderElectionCanBeTurnedOffAndTheLeaseRenamed() {
    assertThat(config("--leader-election=false").leaderElection().enabled()).isFalse();
    assertThat(config("--lease-name=payments-operator").leaderElection().leaseName())
        .isEqualTo("payments-operator");
  }

  @Test
  void incidentHistoryIsReadFromItsFlagAndDefaultsToFive() {
    assertThat(config("--namespace=ops", "--incident-history=12").incidentHistory())
        .isEqualTo(12);
    // The environment twin INCIDENT_HISTORY is unset in the build.
    assertThat(config("--namespace=ops").incidentHistory()).isEqualTo(5);
  }

  @Test
  void freeMailDomainsAddToTheBuiltInList() {
    assertThat(config("--namespace=ops", "--free-mail-domains=Mail.Example, other.example")
        .compliance().freeMail()).contains("mail.example", "other.example", "gmail.com");
  }

  private static OperatorConfig config(String... args) {
    RunCommand command = new RunCommand();
    new picocli.CommandLine(command).parseArgs(args);
    return command.config();
  }
}
