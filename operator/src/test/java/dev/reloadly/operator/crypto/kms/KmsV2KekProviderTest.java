package dev.reloadly.operator.crypto.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reloadly.operator.crypto.EncryptedValue;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.KekUnavailableException;
import dev.reloadly.operator.crypto.KeyRingFormatException;
import dev.reloadly.operator.crypto.kms.v2.DecryptRequest;
import dev.reloadly.operator.crypto.kms.v2.EncryptResponse;
import dev.reloadly.operator.crypto.kms.v2.KeyManagementServiceGrpc;
import dev.reloadly.operator.crypto.kms.v2.StatusResponse;
import dev.reloadly.operator.token.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KMS-wrapped KEK ring against a KMS v2 plugin on a Unix socket, without Kubernetes. */
class KmsV2KekProviderTest {
  static final Duration RECHECK = Duration.ofSeconds(30);
  static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SecureRandom random = new SecureRandom();
  private FakeKmsV2Plugin plugin;

  @BeforeEach
  void startPlugin() {
    plugin = new FakeKmsV2Plugin(dir.resolve("kms.sock"), "key-1").up();
  }

  @AfterEach
  void stopPlugin() {
    plugin.close();
  }

  private KmsV2KekProvider provider() {
    return KmsV2KekProvider.start(KmsV2Plugin.connect(plugin.socket(), Duration.ofSeconds(5)),
        clock, RECHECK, random);
  }

  @Test
  void wireNamesAreThoseOfKubernetesKmsV2() {
    // The proto package, service and field numbers are what a plugin matches on the wire.
    assertThat(KeyManagementServiceGrpc.SERVICE_NAME).isEqualTo("v2.KeyManagementService");
    assertThat(KeyManagementServiceGrpc.getEncryptMethod().getFullMethodName())
        .isEqualTo("v2.KeyManagementService/Encrypt");
    assertThat(StatusResponse.KEY_ID_FIELD_NUMBER).isEqualTo(3);
    assertThat(StatusResponse.HEALTHZ_FIELD_NUMBER).isEqualTo(2);
    assertThat(DecryptRequest.ANNOTATIONS_FIELD_NUMBER).isEqualTo(4);
    assertThat(DecryptRequest.KEY_ID_FIELD_NUMBER).isEqualTo(3);
    assertThat(EncryptResponse.ANNOTATIONS_FIELD_NUMBER).isEqualTo(3);
  }

  @Test
  void ringHoldsOnlyCiphertextAndReadsBackWithOneDecryptPerKey() throws Exception {
    byte[] secretBytes;
    EncryptedValue value;
    try (KmsV2KekProvider provider = provider()) {
      KekRing ring = provider.generate(clock.instant(), random);
      ring = ring.rotated(clock.instant(), random);
      value = new EnvelopeCipher().encrypt("client-secret".getBytes(StandardCharsets.UTF_8), AAD,
          ring);
      secretBytes = provider.toSecretBytes(ring);
    }
    assertThat(plugin.plaintexts()).hasSize(2);
    String document = new String(secretBytes, StandardCharsets.UTF_8);
    for (byte[] kek : plugin.plaintexts()) {
      assertThat(document).doesNotContain(Base64.getEncoder().encodeToString(kek));
    }
    JsonNode json = new ObjectMapper().readTree(secretBytes);
    assertThat(json.get("format").asText()).isEqualTo(KmsV2KekProvider.SECRET_FORMAT);
    assertThat(json.get("keys")).allSatisfy(entry -> {
      assertThat(entry.has("key")).isFalse();
      assertThat(entry.get("kmsKeyId").asText()).isEqualTo("key-1");
      assertThat(entry.get("annotations").has(FakeKmsV2Plugin.ANNOTATION)).isTrue();
    });

    int before = plugin.decrypts();
    try (KmsV2KekProvider restarted = provider()) {
      KekRing read = restarted.parseSecret(secretBytes);
      assertThat(plugin.decrypts() - before).isEqualTo(2);
      assertThat(new String(new EnvelopeCipher().decrypt(value, AAD, read), StandardCharsets.UTF_8))
          .isEqualTo("client-secret");
      // Reading the same Secret again (key maintenance does, each pass) costs no Decrypt.
      restarted.parseSecret(secretBytes);
      assertThat(plugin.decrypts() - before).isEqualTo(2);
      assertThat(restarted.rotationRequired(read)).isFalse();
    }
  }

  @Test
  void aNewKeyIdAtTheKmsAsksForANewActiveKekWrappedUnderIt() {
    try (KmsV2KekProvider provider = provider()) {
      KekRing ring = provider.generate(clock.instant(), random);
      assertThat(provider.rotationRequired(ring)).isFalse();
      plugin.rotateTo("key-2");
      assertThat(provider.rotationRequired(ring)).isTrue();
      KekRing rotated = ring.rotated(clock.instant(), random);
      assertThat(((KmsKek) rotated.active()).wrapped().keyId()).isEqualTo("key-2");
      assertThat(provider.rotationRequired(rotated)).isFalse();
    }
  }

  @Test
  void aLocalRingIsWrappedAndItsActiveKeyMarkedForReplacement() {
    KekRing local = KekRing.generate(clock.instant(), random);
    try (KmsV2KekProvider provider = provider()) {
      assertThat(provider.inOwnFormat(local.toSecretBytes())).isFalse();
      KekRing read = provider.parseSecret(local.toSecretBytes());
      assertThat(read.active().keyId()).isEqualTo(local.active().keyId());
      assertThat(((KmsKek) read.active()).storedInClearBefore()).isTrue();
      assertThat(provider.rotationRequired(read)).isTrue();
      String document = new String(provider.toSecretBytes(read), StandardCharsets.UTF_8);
      assertThat(document).contains("\"storedInClearBefore\" : true").doesNotContain("\"key\"");
      // And back: the plugin unwraps the ring into local keys once more.
      KekRing back = provider.parseSecretAsLocal(provider.toSecretBytes(read));
      assertThat(back.active().keyId()).isEqualTo(local.active().keyId());
      assertThat(back.toSecretBytes()).isNotEmpty();
    }
  }

  @Test
  void anEntryWhoseKeyIdDoesNotMatchItsKeyIsRefused() throws Exception {
    byte[] secretBytes;
    try (KmsV2KekProvider provider = provider()) {
      secretBytes = provider.toSecretBytes(provider.generate(clock.instant(), random));
    }
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(secretBytes);
    ((ObjectNode) json.get("keys").get(0)).put("keyId", "local-0000000000000000");
    try (KmsV2KekProvider provider = provider()) {
      assertThatThrownBy(() -> provider.parseSecret(new ObjectMapper().writeValueAsBytes(json)))
          .isInstanceOf(KeyRingFormatException.class)
          .hasMessageContaining("keys[0].keyId does not match its key");
    }
  }

  @Test
  void pluginDownStopsNewWrapsAfterTheRecheckButUnwrapsGoOn() {
    try (KmsV2KekProvider provider = provider()) {
      KekRing ring = provider.generate(clock.instant(), random);
      EnvelopeCipher cipher = new EnvelopeCipher();
      EncryptedValue stored = cipher.encrypt(new byte[] {1, 2, 3}, AAD, ring);

      plugin.down();
      clock.advance(RECHECK);
      assertThatThrownBy(() -> cipher.encrypt(new byte[] {4}, AAD, ring))
          .isInstanceOf(KekUnavailableException.class)
          .hasMessageContaining("unix://" + plugin.socket())
          .hasMessageContaining("Status failed: UNAVAILABLE")
          .satisfies(e -> assertThat(((KekUnavailableException) e).retryAfter()).isEqualTo(RECHECK));
      assertThat(cipher.decrypt(stored, AAD, ring)).containsExactly(1, 2, 3);
      assertThat(provider.rotationRequired(ring)).as("nothing is rotated while down").isFalse();

      plugin.up();
      // Within the recheck interval the last answer (down) still holds; after it, wraps go on.
      assertThatThrownBy(() -> cipher.encrypt(new byte[] {4}, AAD, ring))
          .isInstanceOf(KekUnavailableException.class);
      clock.advance(RECHECK);
      assertThat(cipher.decrypt(cipher.encrypt(new byte[] {4}, AAD, ring), AAD, ring))
          .containsExactly(4);
    }
  }

  @Test
  void anUnhealthyOrAbsentPluginStopsTheStartNamingSocketAndCause() {
    plugin.healthz("kms key is disabled");
    assertThatThrownBy(this::provider)
        .isInstanceOf(KekUnavailableException.class)
        .hasMessage("KMS v2 plugin at unix://" + plugin.socket()
            + " is not healthy (healthz \"kms key is disabled\", version \"v2\")");
    plugin.down();
    assertThatThrownBy(this::provider)
        .isInstanceOf(KekUnavailableException.class)
        .hasMessageStartingWith("KMS v2 plugin at unix://" + plugin.socket()
            + ": Status failed: UNAVAILABLE");
  }
}
