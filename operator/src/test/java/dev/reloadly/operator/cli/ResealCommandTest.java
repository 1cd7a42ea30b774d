package dev.reloadly.operator.cli;

import static dev.reloadly.operator.cli.SealCommandTest.CANARY;
import static dev.reloadly.operator.cli.SealCommandTest.RANDOM;
import static dev.reloadly.operator.cli.SealCommandTest.stdin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.reloadly.operator.crypto.SealedValue;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResealCommandTest {
  static final SealingScope SCOPE = SealingScope.clientSecret("payments", "reloadly-prod");

  EmbeddedApiServer server;
  SealingKeyRing oldRing;
  SealingKeyRing ring;

  @BeforeEach
  void operatorKeys() {
    oldRing = SealingKeyRing.generate(Instant.parse("2025-01-01T00:00:00Z"), RANDOM);
    ring = oldRing.renewed(Instant.parse("2025-04-01T00:00:00Z"), RANDOM);
    server = EmbeddedApiServer.start();
    try (KubernetesClient client = server.newClient()) {
      client.secrets().inNamespace("reloadly-system").resource(new SecretBuilder()
          .withNewMetadata().withName(OperatorKeyStore.SECRET).endMetadata()
          .withData(Map.of(ResealCommand.SEALING_KEYS,
              Base64.getEncoder().encodeToString(ring.toSecretBytes())))
          .build()).create();
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void movesAValueFromAnOldKeyToTheNewest() {
    String old = new Sealer().seal(canary(), SCOPE, oldRing.newest());

    CliRun.Result result = reseal(old + "\n");

    assertThat(result.exitCode()).isZero();
    String resealed = result.out().strip();
    assertThat(SealedValue.keyIdOf(resealed)).isEqualTo(ring.newest().keyId())
        .isNotEqualTo(oldRing.newest().keyId());
    assertThat(new String(new Sealer().open(resealed, SCOPE, ring), StandardCharsets.UTF_8))
        .isEqualTo(CANARY);
    assertThat(result.err()).contains("from sealing key " + oldRing.newest().keyId());
    assertThat(result.all()).doesNotContain(CANARY);
  }

  @Test
  void valueOnTheNewestKeyIsPrintedUnchanged() {
    String current = new Sealer().seal(canary(), SCOPE, ring.newest());

    CliRun.Result result = reseal(current);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().strip()).isEqualTo(current);
    assertThat(result.err()).contains("unchanged");
  }

  @Test
  void yamlOutputIsASealedSourceFragment() throws Exception {
    String old = new Sealer().seal(canary(), SCOPE, oldRing.newest());

    CliRun.Result result = reseal(old, "-o", "yaml");

    String resealed = new YAMLMapper().readTree(result.out())
        .at("/spec/source/sealed/clientSecret").asText();
    assertThat(SealedValue.keyIdOf(resealed)).isEqualTo(ring.newest().keyId());
  }

  @Test
  void valueSealedForAnotherScopeIsRefused() {
    String other = new Sealer().seal(canary(), SealingScope.clientSecret("payments", "other"),
        oldRing.newest());

    CliRun.Result result = reseal(other);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("wrong scope");
    assertThat(result.out()).isEmpty();
    assertThat(result.all()).doesNotContain(CANARY);
  }

  @Test
  void inputThatIsNotASealedValueIsRefusedWithoutEchoingIt() {
    CliRun.Result result = reseal(CANARY);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("stdin is not a sealed value");
    assertThat(result.all()).doesNotContain(CANARY);
  }

  @Test
  void emptyStdinIsRefused() {
    CliRun.Result result = reseal("\n");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("no sealed value on stdin");
  }

  @Test
  void missingKeySecretFailsWithOneLine() {
    String old = new Sealer().seal(canary(), SCOPE, oldRing.newest());

    CliRun.Result result = reseal(old, "--operator-namespace", "elsewhere");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip()).isEqualTo("error: Secret elsewhere/"
        + OperatorKeyStore.SECRET + " not found; is the operator installed in namespace"
        + " elsewhere? (--operator-namespace)");
  }

  private CliRun.Result reseal(String input, String... options) {
    String[] args = new String[options.length + 7];
    System.arraycopy(new String[] {"reseal", "--namespace", "payments", "--name",
        "reloadly-prod", "--field", "clientSecret"}, 0, args, 0, 7);
    System.arraycopy(options, 0, args, 7, options.length);
    return CliRun.run(new ResealCommand(stdin(input), server::newClient), args);
  }

  private static byte[] canary() {
    return CANARY.getBytes(StandardCharsets.UTF_8);
  }
}
