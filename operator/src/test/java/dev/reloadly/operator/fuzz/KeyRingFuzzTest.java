package dev.reloadly.operator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.KeyRingFormatException;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The operator's key Secret, corrupted: the sealing key ring, its public document and the KEK
 * ring with fields of the wrong type, missing, extra or duplicated, bytes flipped or cut, and
 * garbage; then the whole Secret as the operator loads it at start ({@link OperatorKeyStore} on
 * the embedded API server). Every failure is a {@link KeyRingFormatException} that names what is
 * wrong and quotes no key; the Secret is never rewritten or blanked by a failed load.
 */
@AddLifecycleHook(FuzzBudget.class)
class KeyRingFuzzTest {
  private static final Instant NOW = Instant.parse("2025-04-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = Mutations.deterministicRandom(16);
  private static final SealingKeyRing SEALING =
      SealingKeyRing.generate(NOW, RANDOM).renewed(NOW.plusSeconds(60), RANDOM);
  private static final KekRing KEKS = KekRing.generate(NOW, RANDOM).rotated(NOW, RANDOM);
  private static final byte[] FINGERPRINT_KEY = CredentialFingerprinter.generateKey(RANDOM);
  private static final String SEALING_SECRET =
      new String(SEALING.toSecretBytes(), StandardCharsets.UTF_8);
  private static final String PUBLIC_DOCUMENT = SEALING.toPublicDocument();
  private static final String KEK_SECRET = new String(KEKS.toSecretBytes(), StandardCharsets.UTF_8);
  private static final String NAMESPACE = "reloadly-system";

  /** Every private key and KEK, in each form a message could spell it. */
  private static final List<String> SECRETS = java.util.regex.Pattern
      .compile("\"(privateKey|key)\" : \"([^\"]+)\"").matcher(SEALING_SECRET + KEK_SECRET)
      .results().flatMap(m -> {
        byte[] raw = Base64.getDecoder().decode(m.group(2));
        return java.util.stream.Stream.of(m.group(2), java.util.HexFormat.of().formatHex(raw),
            Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
      }).toList();

  private static EmbeddedApiServer server;
  private static KubernetesClient client;

  @BeforeContainer
  static void startServer() {
    server = EmbeddedApiServer.start();
    client = server.newClient();
  }

  @AfterContainer
  static void stopServer() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Provide
  Arbitrary<String> sealingSecrets() {
    return corrupted(SEALING_SECRET, List.of("keyId", "createdAt", "publicKey", "privateKey"));
  }

  @Provide
  Arbitrary<String> publicDocuments() {
    return corrupted(PUBLIC_DOCUMENT, List.of("keyId", "createdAt", "publicKey", "privateKey"));
  }

  @Provide
  Arbitrary<String> kekSecrets() {
    return corrupted(KEK_SECRET, List.of("keyId", "createdAt", "key"));
  }

  /** A document corrupted as JSON (fields, entries, shape) or as bytes, or replaced outright. */
  static Arbitrary<String> corrupted(String document, List<String> fields) {
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 3);
    Arbitrary<JsonNode> value = Arbitraries.oneOf(
        Arbitraries.of("", "AAAA", "AA==", "not base64!", "2025-13-01T00:00:00Z", "2025-01-01",
            "reloadly-sealing-keys/v1", "reloadly-kek-ring/v1", "local-0000000000000000",
            "0000000000000000", Base64.getEncoder().encodeToString(new byte[31]),
            Base64.getEncoder().encodeToString(new byte[32]),
            Base64.getEncoder().encodeToString(new byte[33])).map(NODES::textNode),
        Arbitraries.of(NODES.nullNode(), NODES.numberNode(32), NODES.booleanNode(false),
            NODES.arrayNode(), NODES.objectNode()),
        SpecDocuments.anyJson());
    Arbitrary<UnaryOperator<JsonNode>> jsonChange = Arbitraries.frequencyOf(
        Tuple.of(5, Combinators.combine(index, Arbitraries.of(fields), value).as((i, f, v) ->
            key(i, e -> e.set(f, v)))),
        Tuple.of(2, Combinators.combine(index, Arbitraries.of(fields)).as((i, f) ->
            key(i, e -> e.remove(f)))),
        Tuple.of(1, Combinators.combine(index, Arbitraries.of("extra", "kmsKeyId", "ciphertext"),
            value).as((i, f, v) -> key(i, e -> e.set(f, v)))),
        Tuple.of(1, index.map(i -> tree -> {
          if (tree.get("keys") instanceof ArrayNode keys && !keys.isEmpty()) {
            keys.add(keys.get(i % keys.size()).deepCopy());
          }
          return tree;
        })),
        Tuple.of(1, index.map(i -> tree -> {
          if (tree.get("keys") instanceof ArrayNode keys && !keys.isEmpty()) {
            // Another entry's key under this entry's id, or the order of history changed.
            JsonNode first = keys.remove(0);
            keys.add(first);
          }
          return tree;
        })),
        Tuple.of(2, Combinators.combine(Arbitraries.of("format", "keys", "extra"), value)
            .as((f, v) -> tree -> {
              ((ObjectNode) tree).set(f, v);
              return tree;
            })));
    return Arbitraries.frequencyOf(
        Tuple.of(6, jsonChange.list().ofMinSize(1).ofMaxSize(3).map(changes -> {
          JsonNode tree = readTree(document);
          for (UnaryOperator<JsonNode> change : changes) {
            tree = change.apply(tree);
          }
          return tree.toString();
        })),
        Tuple.of(3, Mutations.of("").map(m -> {
          // Byte-level damage to the document itself (its "body" is the whole text).
          String encoded = Base64.getUrlEncoder().withoutPadding()
              .encodeToString(document.getBytes(StandardCharsets.UTF_8));
          String mutated = m.applyTo(encoded);
          try {
            return new String(Base64.getUrlDecoder().decode(mutated), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException notBase64) {
            return mutated;
          }
        })),
        Tuple.of(1, Arbitraries.of("", "null", "{}", "[]", "{\"format\":\"x\"}",
            document + "{}", document.replace("{", "{\"format\":\"dup\",")
            , "{\"keys\":[],\"format\":\"reloadly-sealing-keys/v1\"}")),
        Tuple.of(1, Arbitraries.integers().between(1, 5000).map(depth ->
            "{\"format\":" + "[".repeat(depth) + "]".repeat(depth) + "}")));
  }

  private static UnaryOperator<JsonNode> key(int index, java.util.function.Consumer<ObjectNode> change) {
    return tree -> {
      if (tree.get("keys") instanceof ArrayNode keys && !keys.isEmpty()
          && keys.get(index % keys.size()) instanceof ObjectNode entry) {
        change.accept(entry);
      }
      return tree;
    };
  }

  @Property(tries = 3000, seed = "20250401")
  void sealingKeySecretParsesOrIsRefusedClearly(@ForAll("sealingSecrets") String document) {
    Throwable thrown = catchThrowable(() ->
        SealingKeyRing.parseSecret(document.getBytes(StandardCharsets.UTF_8)));
    collect("sealing ring", thrown);
    assertRefusedClearly(thrown);
  }

  @Property(tries = 2000, seed = "20250402")
  void publicDocumentParsesOrIsRefusedClearly(@ForAll("publicDocuments") String document) {
    Throwable thrown = catchThrowable(() -> SealingKeyRing.parsePublicDocument(document));
    collect("public document", thrown);
    assertRefusedClearly(thrown);
  }

  @Property(tries = 3000, seed = "20250403")
  void kekSecretParsesOrIsRefusedClearly(@ForAll("kekSecrets") String document) {
    Throwable thrown = catchThrowable(() ->
        KekRing.parseSecret(document.getBytes(StandardCharsets.UTF_8)));
    collect("KEK ring", thrown);
    assertRefusedClearly(thrown);
  }

  @Provide
  Arbitrary<Map<String, String>> keySecrets() {
    Arbitrary<String> raw = Arbitraries.oneOf(Arbitraries.of("", "not base64!", "AAAA====",
        "\u00e9"), Arbitraries.strings().ofMaxLength(20));
    Arbitrary<UnaryOperator<Map<String, String>>> change = Arbitraries.frequencyOf(
        Tuple.of(3, sealingSecrets().map(d -> put("sealing-keys.json", b64(d)))),
        Tuple.of(3, kekSecrets().map(d -> put("kek-ring.json", b64(d)))),
        Tuple.of(2, Arbitraries.integers().between(0, 64).map(n ->
            put("fingerprint.key", Base64.getEncoder().encodeToString(Arrays.copyOf(
                FINGERPRINT_KEY, n))))),
        Tuple.of(2, Combinators.combine(Arbitraries.of("sealing-keys.json", "kek-ring.json",
            "fingerprint.key"), raw).as(KeyRingFuzzTest::put)),
        Tuple.of(1, Arbitraries.of("sealing-keys.json", "kek-ring.json", "fingerprint.key")
            .map(k -> data -> {
              data.remove(k);
              return data;
            })));
    return change.list().ofMinSize(1).ofMaxSize(2).map(changes -> {
      Map<String, String> data = validKeySecret();
      changes.forEach(c -> c.apply(data));
      return data;
    });
  }

  /**
   * The operator's start on a corrupted key Secret: it loads the keys or stops with a
   * KeyRingFormatException naming the Secret and the entry, which {@code run} prints as one line;
   * it never generates new keys over the old ones, nor publishes anything from a failed load.
   */
  @Property(tries = 300, seed = "20250404")
  void operatorLoadsItsKeysOrStopsWithoutTouchingThem(
      @ForAll("keySecrets") Map<String, String> data) {
    Secret stored = writeKeySecret(data);
    ConfigMap published = client.configMaps().inNamespace(NAMESPACE)
        .withName(OperatorKeyStore.CONFIG_MAP).get();
    OperatorKeyStore store = new OperatorKeyStore(client, NAMESPACE,
        Clock.fixed(NOW, ZoneOffset.UTC), RANDOM);

    Throwable thrown = catchThrowable(store::loadOrCreate);

    collect("operator start", thrown);
    assertRefusedClearly(thrown);
    if (thrown != null) {
      assertThat(thrown.getMessage()).as("names the Secret")
          .contains(NAMESPACE + "/" + OperatorKeyStore.SECRET);
      Secret after = client.secrets().inNamespace(NAMESPACE).withName(OperatorKeyStore.SECRET)
          .get();
      assertThat(after.getData()).as("key Secret after a failed load").isEqualTo(data);
      assertThat(after.getMetadata().getResourceVersion())
          .isEqualTo(stored.getMetadata().getResourceVersion());
      ConfigMap now = client.configMaps().inNamespace(NAMESPACE)
          .withName(OperatorKeyStore.CONFIG_MAP).get();
      assertThat(now == null ? null : now.getData())
          .isEqualTo(published == null ? null : published.getData());
    }
  }

  private static Secret writeKeySecret(Map<String, String> data) {
    Secret current = client.secrets().inNamespace(NAMESPACE).withName(OperatorKeyStore.SECRET)
        .get();
    if (current == null) {
      return client.resource(new SecretBuilder().withNewMetadata()
          .withName(OperatorKeyStore.SECRET).withNamespace(NAMESPACE).endMetadata()
          .withData(data).build()).create();
    }
    return client.resource(new SecretBuilder(current).withData(data).build()).update();
  }

  private static Map<String, String> validKeySecret() {
    Map<String, String> data = new HashMap<>();
    data.put("sealing-keys.json", b64(SEALING_SECRET));
    data.put("kek-ring.json", b64(KEK_SECRET));
    data.put("fingerprint.key", Base64.getEncoder().encodeToString(FINGERPRINT_KEY));
    return data;
  }

  private static UnaryOperator<Map<String, String>> put(String key, String value) {
    return data -> {
      data.put(key, value);
      return data;
    };
  }

  private static void collect(String label, Throwable thrown) {
    Statistics.label(label).collect(thrown == null ? "loaded"
        : thrown instanceof KeyRingFormatException e ? e.reason().name()
        : thrown.getClass().getSimpleName());
  }

  /** Nothing, or a KeyRingFormatException whose message quotes no key and has no cause. */
  static void assertRefusedClearly(Throwable thrown) {
    if (thrown == null) {
      return;
    }
    assertThat(thrown).as("the failure").isInstanceOf(KeyRingFormatException.class);
    assertThat(thrown.getMessage()).isNotBlank().doesNotContain("\n");
    SECRETS.forEach(secret -> assertThat(thrown.getMessage()).doesNotContain(secret));
    assertThat(thrown.getCause()).isNull();
  }

  private static JsonNode readTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
