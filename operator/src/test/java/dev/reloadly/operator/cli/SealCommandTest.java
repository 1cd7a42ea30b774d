package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.reloadly.operator.crypto.SealedValue;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SealCommandTest {
  static final String CANARY = "CANARY-s3cr3t-7f1e";
  static final SecureRandom RANDOM = new SecureRandom();
  static final Supplier<KubernetesClient> NO_CLUSTER = () -> {
    throw new AssertionError("this test must not touch a cluster");
  };

  @TempDir Path dir;
  SealingKeyRing ring;
  Path cert;

  @BeforeEach
  void keys() throws Exception {
    ring = SealingKeyRing.generate(Instant.parse("2025-03-01T00:00:00Z"), RANDOM);
    cert = Files.writeString(dir.resolve("public-keys.json"), ring.publicOnly().toPublicDocument());
  }

  @Test
  void sealedWithCertOpensWithThePrivateRing() {
    CliRun.Result result = seal(CANARY + "\n", "--cert", cert.toString());

    assertThat(result.exitCode()).isZero();
    String sealed = result.out().strip();
    assertThat(sealed).startsWith(SealedValue.PREFIX);
    assertThat(open(sealed, SealingScope.clientSecret("payments", "reloadly-prod")))
        .isEqualTo(CANARY);
    assertThat(result.all()).doesNotContain(CANARY);
  }

  @Test
  void yamlOutputIsASealedSourceFragment() throws Exception {
    CliRun.Result result = seal(CANARY, "--cert", cert.toString(), "-o", "yaml");

    assertThat(result.exitCode()).isZero();
    JsonNode sealed = new YAMLMapper().readTree(result.out()).at("/spec/source/sealed");
    assertThat(fieldNames(sealed)).containsExactly("clientSecret");
    assertThat(open(sealed.get("clientSecret").asText(),
        SealingScope.clientSecret("payments", "reloadly-prod"))).isEqualTo(CANARY);
    assertThat(result.all()).doesNotContain(CANARY);
  }

  @Test
  void clientIdIsSealedForTheClientIdField() throws Exception {
    CliRun.Result result = run(new SealCommand(stdin("client-id-123\n"), NO_CLUSTER),
        "seal", "--namespace", "payments", "--name", "reloadly-prod", "--field", "clientId",
        "--cert", cert.toString(), "-o", "yaml");

    JsonNode sealed = new YAMLMapper().readTree(result.out()).at("/spec/source/sealed/clientId");
    assertThat(open(sealed.asText(), SealingScope.clientId("payments", "reloadly-prod")))
        .isEqualTo("client-id-123");
  }

  @Test
  void stripsExactlyOneTrailingNewline() {
    assertThat(openOutput(seal("abc\n\n", "--cert", cert.toString()))).isEqualTo("abc\n");
    assertThat(openOutput(seal("abc\r\n", "--cert", cert.toString()))).isEqualTo("abc");
    assertThat(openOutput(seal("abc", "--cert", cert.toString()))).isEqualTo("abc");
  }

  @Test
  void readsTheValueFromFile() throws Exception {
    Path value = Files.writeString(dir.resolve("secret.txt"), CANARY + "\n");

    CliRun.Result result = seal("", "--cert", cert.toString(), "--file", value.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(openOutput(result)).isEqualTo(CANARY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "\r\n"})
  void emptyValueIsRefused(String input) {
    CliRun.Result result = seal(input, "--cert", cert.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("the value is empty");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void tooLongValueIsRefusedWithoutEchoingIt() {
    String longValue = CANARY.repeat(300);

    CliRun.Result result = seal(longValue, "--cert", cert.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("too long");
    assertThat(result.all()).doesNotContain(CANARY);
  }

  @Test
  void bothCertAndFetchAreRefusedBeforeReadingTheValue() {
    ReadGuard stdin = new ReadGuard();

    CliRun.Result result = run(new SealCommand(stdin, NO_CLUSTER), "seal", "--namespace",
        "payments", "--name", "reloadly-prod", "--field", "clientSecret", "--cert",
        cert.toString(), "--fetch");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("exactly one of --cert FILE (offline) and --fetch");
    assertThat(stdin.read).isFalse();
  }

  @Test
  void neitherCertNorFetchIsRefused() {
    CliRun.Result result = seal(CANARY);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("exactly one of --cert FILE (offline) and --fetch");
  }

  @Test
  void unknownFieldIsRefused() {
    CliRun.Result result = run(new SealCommand(stdin(CANARY), NO_CLUSTER), "seal",
        "--namespace", "payments", "--name", "reloadly-prod", "--field", "password",
        "--cert", cert.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--field must be clientId or clientSecret");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Payments", "pay_ments", "-payments", "a.b"})
  void namespaceMustBeANamespaceName(String namespace) {
    CliRun.Result result = run(new SealCommand(stdin(CANARY), NO_CLUSTER), "seal",
        "--namespace", namespace, "--name", "reloadly-prod", "--field", "clientSecret",
        "--cert", cert.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("is not a namespace name");
  }

  @Test
  void credentialNameMustBeAnObjectName() {
    CliRun.Result result = run(new SealCommand(stdin(CANARY), NO_CLUSTER), "seal",
        "--namespace", "payments", "--name", "Reloadly Prod", "--field", "clientSecret",
        "--cert", cert.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("is not a Kubernetes object name");
  }

  @Test
  void unknownOutputIsRefused() {
    CliRun.Result result = seal(CANARY, "--cert", cert.toString(), "-o", "json");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("-o must be raw or yaml");
  }

  @Test
  void privateKeyDocumentIsNotAcceptedAsCert() throws Exception {
    byte[] secretBytes = ring.toSecretBytes();
    Path privateDoc = Files.write(dir.resolve("sealing-keys.json"), secretBytes);

    CliRun.Result result = seal(CANARY, "--cert", privateDoc.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("is not a sealing public-key document");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void fetchReadsThePublicKeysFromTheOperatorNamespace() {
    try (EmbeddedApiServer server = EmbeddedApiServer.start();
        KubernetesClient client = server.newClient()) {
      client.configMaps().inNamespace("reloadly-ops").resource(new ConfigMapBuilder()
          .withNewMetadata().withName(OperatorKeyStore.CONFIG_MAP).endMetadata()
          .withData(Map.of(OperatorKeyStore.PUBLIC_KEYS, ring.publicOnly().toPublicDocument()))
          .build()).create();

      CliRun.Result result = run(new SealCommand(stdin(CANARY + "\n"), server::newClient),
          "seal", "--namespace", "payments", "--name", "reloadly-prod", "--field",
          "clientSecret", "--fetch", "--operator-namespace", "reloadly-ops");

      assertThat(result.exitCode()).isZero();
      assertThat(openOutput(result)).isEqualTo(CANARY);
      assertThat(result.err()).contains("to sealing key " + ring.newest().keyId()
          + " (read from ConfigMap reloadly-ops/" + OperatorKeyStore.CONFIG_MAP + ")");
    }
  }

  @Test
  void printsTheKeyIdItSealedToSoItCanBeChecked() {
    SealingKeyRing renewed = ring.renewed(Instant.parse("2025-04-01T00:00:00Z"), RANDOM);
    Path renewedCert = dir.resolve("renewed.json");
    try {
      Files.writeString(renewedCert, renewed.publicOnly().toPublicDocument());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    CliRun.Result result = seal(CANARY, "--cert", renewedCert.toString());

    String used = SealedValue.keyIdOf(result.out().strip());
    assertThat(used).isEqualTo(renewed.newest().keyId());
    assertThat(result.err()).contains("to sealing key " + used + " (from " + renewedCert + ")");
    assertThat(result.out()).doesNotContain("sealing key");
  }

  @Test
  void fetchSealsToTheNewestKey() {
    SealingKeyRing renewed = ring.renewed(Instant.parse("2025-04-01T00:00:00Z"), RANDOM);
    try (EmbeddedApiServer server = EmbeddedApiServer.start();
        KubernetesClient client = server.newClient()) {
      client.configMaps().inNamespace("reloadly-system").resource(new ConfigMapBuilder()
          .withNewMetadata().withName(OperatorKeyStore.CONFIG_MAP).endMetadata()
          .withData(Map.of(OperatorKeyStore.PUBLIC_KEYS, renewed.publicOnly().toPublicDocument()))
          .build()).create();

      CliRun.Result result = run(new SealCommand(stdin(CANARY), server::newClient), "seal",
          "--namespace", "payments", "--name", "reloadly-prod", "--field", "clientSecret",
          "--fetch");

      assertThat(SealedValue.keyIdOf(result.out().strip())).isEqualTo(renewed.newest().keyId());
    }
  }

  @Test
  void fetchWithoutTheConfigMapFailsWithOneLine() {
    try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
      CliRun.Result result = run(new SealCommand(stdin(CANARY), server::newClient), "seal",
          "--namespace", "payments", "--name", "reloadly-prod", "--field", "clientSecret",
          "--fetch");

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err().strip()).isEqualTo("error: ConfigMap reloadly-system/"
          + OperatorKeyStore.CONFIG_MAP + " not found; is the operator installed in namespace"
          + " reloadly-system? (--operator-namespace)");
      assertThat(result.out()).isEmpty();
    }
  }

  private CliRun.Result seal(String input, String... options) {
    String[] args = new String[options.length + 7];
    System.arraycopy(new String[] {"seal", "--namespace", "payments", "--name", "reloadly-prod",
        "--field", "clientSecret"}, 0, args, 0, 7);
    System.arraycopy(options, 0, args, 7, options.length);
    return run(new SealCommand(stdin(input), NO_CLUSTER), args);
  }

  private static CliRun.Result run(SealCommand command, String... args) {
    return CliRun.run(command, args);
  }

  private String openOutput(CliRun.Result result) {
    assertThat(result.exitCode()).isZero();
    return open(result.out().strip(), SealingScope.clientSecret("payments", "reloadly-prod"));
  }

  private String open(String sealed, SealingScope scope) {
    return new String(new Sealer().open(sealed, scope, ring), StandardCharsets.UTF_8);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Stdin that remembers whether anything read it. */
  static final class ReadGuard extends InputStream {
    boolean read;

    @Override
    public int read() {
      read = true;
      return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      read = true;
      return -1;
    }
  }
}
