package dev.reloadly.operator.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reloadly.operator.crypto.KeyRingFormatException;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A damaged key Secret at start, as KeyRingFuzzTest found them: the JDK's own exceptions (bad
 * base64, a short fingerprint key) and IllegalStateException escaped, which `run` printed as a
 * stack trace. Each now stops the start with a KeyRingFormatException naming the Secret and the
 * entry (one line), and the Secret is left as it is.
 */
class OperatorKeyStoreDamageTest {
  static final String NAMESPACE = "reloadly-system";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  private EmbeddedApiServer server;
  private KubernetesClient client;
  private Map<String, String> good;

  @BeforeEach
  void createKeys() {
    server = EmbeddedApiServer.start();
    client = server.newClient();
    new OperatorKeyStore(client, NAMESPACE, CLOCK, new SecureRandom()).loadOrCreate();
    good = secret().getData();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void entryThatIsNotBase64() {
    assertRefused(data -> data.put("fingerprint.key", "not base64!"),
        "key fingerprint.key: not base64");
  }

  @Test
  void fingerprintKeyTooShort() {
    assertRefused(data -> data.put("fingerprint.key", Base64.getEncoder().encodeToString(
        Arrays.copyOf(Base64.getDecoder().decode(good.get("fingerprint.key")), 16))),
        "key fingerprint.key: must be at least 32 bytes, not 16");
  }

  @Test
  void ringThatIsNotJson() {
    assertRefused(data -> data.put("kek-ring.json", Base64.getEncoder().encodeToString(
        "{\"format\":".getBytes())), "key kek-ring.json: key ring document is not valid JSON");
  }

  @Test
  void missingEntry() {
    assertRefused(data -> data.remove("sealing-keys.json"), "has no key sealing-keys.json");
  }

  private void assertRefused(Consumer<Map<String, String>> damage, String expected) {
    Map<String, String> damaged = new HashMap<>(good);
    damage.accept(damaged);
    Secret written = client.resource(new SecretBuilder(secret()).withData(damaged).build())
        .update();

    assertThatThrownBy(() -> new OperatorKeyStore(client, NAMESPACE, CLOCK, new SecureRandom())
        .loadOrCreate())
        .isInstanceOf(KeyRingFormatException.class)
        .hasMessageContaining("Secret " + NAMESPACE + "/" + OperatorKeyStore.SECRET)
        .hasMessageContaining(expected)
        .hasNoCause();
    assertThat(secret().getData()).isEqualTo(damaged);
    assertThat(secret().getMetadata().getResourceVersion())
        .isEqualTo(written.getMetadata().getResourceVersion());
  }

  private Secret secret() {
    return client.secrets().inNamespace(NAMESPACE).withName(OperatorKeyStore.SECRET).get();
  }
}
