package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RotateKekCommandTest {
  static final String NS = "reloadly-system";

  EmbeddedApiServer server;
  KubernetesClient client;

  @BeforeEach
  void cluster() {
    server = EmbeddedApiServer.start();
    client = server.newClient();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName(OperatorKeyStore.SECRET).endMetadata().withData(Map.of("k", "dg==")).build())
        .create();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void asksForARotationOnly() {
    CliRun.Result result = CliRun.run(new RotateKekCommand(server::newClient), "rotate-kek",
        "--operator-namespace", NS);

    assertThat(result.exitCode()).isZero();
    assertThat(annotations()).containsKey(OperatorKeyStore.ROTATE_KEK)
        .doesNotContainKey(OperatorKeyStore.REENCRYPT);
    assertThat(result.out()).contains("re-wraps");
  }

  @Test
  void reencryptAsksForARotationAndNewDataKeysInOneWrite() {
    long before = server.writes().size();

    CliRun.Result result = CliRun.run(new RotateKekCommand(server::newClient), "rotate-kek",
        "--operator-namespace", NS, "--reencrypt");

    assertThat(result.exitCode()).isZero();
    assertThat(annotations()).containsKeys(OperatorKeyStore.ROTATE_KEK, OperatorKeyStore.REENCRYPT);
    assertThat(server.writes().subList((int) before, server.writes().size())).hasSize(1);
    assertThat(result.out()).contains("new data key").contains(OperatorKeyStore.REENCRYPT_KEKS);
  }

  @Test
  void withoutTheKeySecretFails() {
    CliRun.Result result = CliRun.run(new RotateKekCommand(server::newClient), "rotate-kek",
        "--operator-namespace", "elsewhere", "--reencrypt");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("elsewhere/" + OperatorKeyStore.SECRET + " not found");
  }

  private Map<String, String> annotations() {
    return client.secrets().inNamespace(NS).withName(OperatorKeyStore.SECRET).get().getMetadata()
        .getAnnotations();
  }
}
