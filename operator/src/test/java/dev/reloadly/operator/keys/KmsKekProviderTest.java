package dev.reloadly.operator.keys;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static dev.reloadly.operator.testing.CredentialFixtures.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reloadly.operator.Main;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.config.KekSettings;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekUnavailableException;
import dev.reloadly.operator.crypto.kms.FakeKmsV2Plugin;
import dev.reloadly.operator.crypto.kms.KmsV2KekProvider;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator with its KEK ring protected by a KMS v2 plugin (a real gRPC server on a Unix
 * socket): what the key Secret holds, a key rotation at the KMS, and the plugin down at start and
 * later.
 */
class KmsKekProviderTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  /** Short, so a version waiting for the plugin retries quickly on the wall clock. */
  static final Duration RECHECK = Duration.ofSeconds(1);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.now());
  private FakeKmsV2Plugin plugin;
  private OperatorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
    if (plugin != null) {
      plugin.close();
    }
  }

  @Test
  void storesAndServesWhileTheKeySecretHoldsNoKekBytes() throws IOException {
    plugin = new FakeKmsV2Plugin(dir.resolve("kms.sock"), "key-1").up();
    harness = new OperatorHarness(clock);
    serve("alpha");

    String active = harness.runtime().keys().get().keks().active().keyId();
    assertThat(storeKekIds("alpha")).containsExactly(active);
    JsonNode ring = storedRing();
    assertThat(ring.get("format").asText()).isEqualTo(KmsV2KekProvider.SECRET_FORMAT);
    assertThat(ring.get("keys")).hasSize(1).allSatisfy(entry -> {
      assertThat(entry.get("keyId").asText()).isEqualTo(active);
      assertThat(entry.get("kmsKeyId").asText()).isEqualTo("key-1");
      assertThat(entry.has("key")).isFalse();
    });
    // Not one byte of any KEK the plugin ever saw is in the key Secret, raw or in base64.
    assertThat(plugin.plaintexts()).isNotEmpty();
    for (byte[] kek : plugin.plaintexts()) {
      for (Map.Entry<String, String> data : keySecret().getData().entrySet()) {
        byte[] decoded = Base64.getDecoder().decode(data.getValue());
        assertThat(indexOf(decoded, kek)).as(data.getKey()).isEqualTo(-1);
        assertThat(new String(decoded, StandardCharsets.ISO_8859_1)).as(data.getKey())
            .doesNotContain(Base64.getEncoder().encodeToString(kek));
      }
    }

    // A restart asks the plugin to decrypt each ring entry once, and every stored value opens.
    harness.stop();
    int decrypts = plugin.decrypts();
    harness.start(kmsConfig());
    assertThat(plugin.decrypts() - decrypts).isEqualTo(1);
    assertThat(openSecret("alpha")).isEqualTo(secret("alpha", 1));
    awaitServed("alpha", secret("alpha", 1));
  }

  @Test
  void aKeyIdChangeAtTheKmsMakesANewActiveKekAndRewrapsEveryStore() {
    plugin = new FakeKmsV2Plugin(dir.resolve("kms.sock"), "key-1").up();
    harness = new OperatorHarness(clock);
    serve("alpha", "bravo");
    String oldKek = harness.runtime().keys().get().keks().active().keyId();

    plugin.rotateTo("key-2");
    harness.runtime().maintenance().runOnce();

    String newKek = harness.runtime().keys().get().keks().active().keyId();
    assertThat(newKek).isNotEqualTo(oldKek);
    assertThat(storeKekIds("alpha")).containsExactly(newKek);
    assertThat(storeKekIds("bravo")).containsExactly(newKek);
    assertThat(storedRing().get("keys")).extracting(e -> e.get("kmsKeyId").asText())
        .containsExactly("key-1", "key-2");

    // The old KEK is retired once nothing references it and its grace time is over.
    clock.advance(KekPolicy.RETIRE_AFTER.plusMinutes(1));
    assertThat(harness.runtime().maintenance().runOnce()).isTrue();
    assertThat(storedRing().get("keys")).hasSize(1).allSatisfy(entry -> {
      assertThat(entry.get("keyId").asText()).isEqualTo(newKek);
      assertThat(entry.get("kmsKeyId").asText()).isEqualTo("key-2");
    });
    assertThat(openSecret("alpha")).isEqualTo(secret("alpha", 1));
    assertThat(openSecret("bravo")).isEqualTo(secret("bravo", 1));
    // Stable: the same key id at the KMS asks for nothing more.
    assertThat(harness.runtime().maintenance().runOnce()).isTrue();
    assertThat(harness.runtime().keys().get().keks().active().keyId()).isEqualTo(newKek);
  }

  @Test
  void pluginDownAtStartRefusesToStartWithOneLineAndServesNothing() {
    plugin = new FakeKmsV2Plugin(dir.resolve("kms.sock"), "key-1");
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential(clientId("alpha"), secret("alpha", 1));
    harness.client().resource(sourceSecret(source("alpha"), clientId("alpha"), secret("alpha", 1)))
        .create();
    harness.client().resource(secretRefCredential("alpha", source("alpha"),
        TargetMode.CREDENTIALS)).create();

    assertThatThrownBy(() -> harness.start(kmsConfig()))
        .isInstanceOf(KekUnavailableException.class)
        .hasMessageStartingWith("KMS v2 plugin at unix://" + plugin.socket()
            + ": Status failed: UNAVAILABLE");
    assertThat(harness.runtime()).isNull();
    assertThat(keySecret()).as("no keys were generated").isNull();
    assertThat(harness.secret("alpha-reloadly")).as("nothing is served").isNull();

    // The command line says the same in one line, exit 1, once it has reached the cluster (here
    // the test's API server, holding the operator namespace `run` checks for first).
    harness.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName(OperatorHarness.OPERATOR_NAMESPACE).endMetadata().build())
        .create();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setProperty("kubernetes.master", harness.client().getMasterUrl().toString());
      System.setProperty("kubernetes.auth.tryKubeConfig", "false");
      System.setProperty("kubernetes.auth.tryServiceAccount", "false");
      exit = Main.execute("run", "--kek-provider=kms-v2", "--kms-socket=" + plugin.socket(),
          "--metrics-port=0", "--leader-election=false",
          "--namespace=" + OperatorHarness.OPERATOR_NAMESPACE);
    } finally {
      System.setErr(original);
      System.clearProperty("kubernetes.master");
      System.clearProperty("kubernetes.auth.tryKubeConfig");
      System.clearProperty("kubernetes.auth.tryServiceAccount");
    }
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("error")).toList();
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
    assertThat(lines).containsExactly("error: cannot start: KMS v2 plugin at unix://"
        + plugin.socket() + ": Status failed: UNAVAILABLE (io exception)");
  }

  @Test
  void pluginDownLaterKeepsServingAndANewVersionWaitsUntilItIsBack() {
    plugin = new FakeKmsV2Plugin(dir.resolve("kms.sock"), "key-1").up();
    harness = new OperatorHarness(clock);
    serve("alpha");

    plugin.down();
    clock.advance(RECHECK);
    harness.simulator().rotateCredential(clientId("alpha"), secret("alpha", 2));
    harness.client().resource(new SecretBuilder(harness.secret(source("alpha")))
        .withData(Map.of("client_id", b64(clientId("alpha")),
            "client_secret", b64(secret("alpha", 2))))
        .build()).update();

    await().atMost(WAIT).untilAsserted(() -> {
      Condition valid = harness.condition("alpha", Conditions.CREDENTIAL_VALID).orElseThrow();
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getReason()).isEqualTo(Conditions.KEY_PROVIDER_UNAVAILABLE);
      assertThat(valid.getMessage()).contains("unix://" + plugin.socket());
    });
    // Serving goes on from what is in the target; the new version is not stored.
    assertThat(unb64(harness.secret("alpha-reloadly").getData().get("client_secret")))
        .isEqualTo(secret("alpha", 1));
    assertThat(storedVersionsWithValues("alpha")).hasSize(1);

    plugin.up();
    clock.advance(RECHECK);
    awaitServed("alpha", secret("alpha", 2));
    assertThat(storedVersionsWithValues("alpha")).hasSize(2);
    await().atMost(WAIT).untilAsserted(() -> assertThat(
        harness.condition("alpha", Conditions.CREDENTIAL_VALID)).map(Condition::getReason)
        .contains(Conditions.VALID));
  }

  @Test
  void anInstallMovesFromLocalKeksToTheKmsAndBackWithoutLosingAValue() {
    plugin = new FakeKmsV2Plugin(dir.resolve("kms.sock"), "key-1").up();
    harness = new OperatorHarness(clock);
    for (String name : List.of("alpha", "bravo")) {
      harness.simulator().allowCredential(clientId(name), secret(name, 1));
      harness.client().resource(sourceSecret(source(name), clientId(name), secret(name, 1)))
          .create();
      harness.client().resource(secretRefCredential(name, source(name), TargetMode.CREDENTIALS))
          .create();
    }
    harness.start();
    awaitServed("alpha", secret("alpha", 1));
    awaitServed("bravo", secret("bravo", 1));
    String localKek = harness.runtime().keys().get().keks().active().keyId();
    assertThat(storedRing().get("keys").get(0).has("key")).isTrue();

    // The flag change: the ring is rewritten at once, and the once-local KEK is replaced and
    // every store re-wrapped by the first maintenance pass.
    harness.stop();
    harness.start(kmsConfig());
    assertThat(storedRing().get("format").asText()).isEqualTo(KmsV2KekProvider.SECRET_FORMAT);
    assertThat(storedRing().get("keys")).noneMatch(e -> e.has("key"));
    await().atMost(WAIT).untilAsserted(() -> {
      String active = harness.runtime().keys().get().keks().active().keyId();
      assertThat(active).isNotEqualTo(localKek);
      assertThat(storeKekIds("alpha")).containsExactly(active);
      assertThat(storeKekIds("bravo")).containsExactly(active);
    });
    clock.advance(KekPolicy.RETIRE_AFTER.plusMinutes(1));
    assertThat(harness.runtime().maintenance().runOnce()).isTrue();
    assertThat(storedRing().get("keys")).hasSize(1).allSatisfy(entry -> {
      assertThat(entry.get("keyId").asText()).isNotEqualTo(localKek);
      assertThat(entry.has("storedInClearBefore")).isFalse();
      assertThat(entry.has("key")).isFalse();
    });
    assertThat(openSecret("alpha")).isEqualTo(secret("alpha", 1));

    // Local without the socket cannot open the wrapped ring, and says how to.
    String kmsKek = harness.runtime().keys().get().keks().active().keyId();
    harness.stop();
    assertThatThrownBy(() -> harness.start())
        .isInstanceOf(dev.reloadly.operator.crypto.KeyRingFormatException.class)
        .hasMessageContaining("wrapped by a KMS v2 plugin")
        .hasMessageContaining("--kek-provider kms-v2 --kms-socket PATH");
    harness.stop();

    // And back: local keys, reading the KMS-wrapped ring one last time.
    harness.start(harness.config().withKek(new KekSettings(KekSettings.Provider.LOCAL,
        plugin.socket(), Duration.ofSeconds(2), RECHECK)));
    assertThat(storedRing().get("format").asText()).isEqualTo("reloadly-kek-ring/v1");
    assertThat(storedRing().get("keys")).hasSize(1).allSatisfy(entry -> {
      assertThat(entry.get("keyId").asText()).isEqualTo(kmsKek);
      assertThat(entry.has("key")).isTrue();
    });
    harness.stop();
    harness.start();
    assertThat(openSecret("alpha")).isEqualTo(secret("alpha", 1));
    assertThat(openSecret("bravo")).isEqualTo(secret("bravo", 1));
  }

  private OperatorConfig kmsConfig() {
    return harness.config().withKek(new KekSettings(KekSettings.Provider.KMS_V2, plugin.socket(),
        Duration.ofSeconds(2), RECHECK));
  }

  private void serve(String... names) {
    for (String name : names) {
      harness.simulator().allowCredential(clientId(name), secret(name, 1));
      harness.client().resource(sourceSecret(source(name), clientId(name), secret(name, 1)))
          .create();
      harness.client().resource(secretRefCredential(name, source(name), TargetMode.CREDENTIALS))
          .create();
    }
    harness.start(kmsConfig());
    for (String name : names) {
      awaitServed(name, secret(name, 1));
    }
  }

  private void awaitServed(String name, String clientSecret) {
    await().atMost(WAIT).untilAsserted(() -> {
      Secret target = harness.secret(name + "-reloadly");
      assertThat(target).isNotNull();
      assertThat(unb64(target.getData().get("client_secret"))).isEqualTo(clientSecret);
    });
  }

  private Secret keySecret() {
    return harness.client().secrets().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.SECRET).get();
  }

  private JsonNode storedRing() {
    try {
      return new ObjectMapper().readTree(Base64.getDecoder().decode(
          keySecret().getData().get(OperatorKeyStore.KEKS)));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Set<String> storeKekIds(String name) {
    return StoredVersions.parse(harness.secret(StoredVersions.secretName(name)).getData())
        .kekIds();
  }

  private List<String> storedVersionsWithValues(String name) {
    StoredVersions versions =
        StoredVersions.parse(harness.secret(StoredVersions.secretName(name)).getData());
    List<String> withValues = new ArrayList<>();
    versions.ledger().versions().forEach(v -> {
      if (versions.hasValue(v.fingerprint())) {
        withValues.add(v.fingerprint());
      }
    });
    return withValues;
  }

  /** The current version's client secret, opened with the operator's keys in memory. */
  private String openSecret(String name) {
    StoredVersions versions =
        StoredVersions.parse(harness.secret(StoredVersions.secretName(name)).getData());
    String current = versions.ledger().current().orElseThrow().fingerprint();
    StoredVersions.Crypto crypto = new StoredVersions.Crypto(new StoredVersions.Binding(NAMESPACE,
        name, harness.credential(name).getMetadata().getUid()), new EnvelopeCipher(),
        harness.runtime().keys().get().keks());
    try (CredentialMaterial material = versions.open(current, crypto).orElseThrow()) {
      return new String(material.clientSecret());
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String clientId(String name) {
    return name + "-client";
  }

  private static String secret(String name, int n) {
    return name + "-secret-" + n;
  }

  private static String source(String name) {
    return name + "-src";
  }
}
