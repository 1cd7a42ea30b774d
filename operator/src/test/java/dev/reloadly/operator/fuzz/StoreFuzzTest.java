package dev.reloadly.operator.fuzz;

import static dev.reloadly.operator.fuzz.Mutations.CANARY;
import static dev.reloadly.operator.fuzz.SealedValueFuzzTest.assertClear;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.crypto.EncryptedValue;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.StoreDecryptionException;
import dev.reloadly.operator.crypto.StoreMac;
import dev.reloadly.operator.lifecycle.CredentialLifecycle;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.lifecycle.CredentialVersion;
import dev.reloadly.operator.lifecycle.LedgerJson;
import dev.reloadly.operator.lifecycle.TokenRequester;
import dev.reloadly.operator.lifecycle.ValidationBackoff;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.token.Backoff;
import dev.reloadly.operator.token.TokenResult;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * A credential's store Secret with its contents changed: the version ledger's JSON (wrong types,
 * missing or null fields, unknown states, garbage text) and the data map (values mutated like
 * {@link SealedValueFuzzTest}'s, not base64, removed, added; the generation and MAC edited).
 * Reading it either fails with IllegalArgumentException (the reconcile's {@code StoreDamaged})
 * or gives a store whose every use in a reconcile answers: KEK ids, authenticity, the versions'
 * values (the sealed plaintext or StoreDecryptionException), the lifecycle step, the write back.
 */
@AddLifecycleHook(FuzzBudget.class)
class StoreFuzzTest {
  private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = Mutations.deterministicRandom(15);
  private static final KekRing KEKS = KekRing.generate(NOW, RANDOM);
  private static final CredentialFingerprinter FINGERPRINTER =
      new CredentialFingerprinter(CredentialFingerprinter.generateKey(RANDOM));
  private static final StoreMac MAC = StoreMac.derivedFrom(FINGERPRINTER);
  private static final StoredVersions.Binding BINDING =
      new StoredVersions.Binding("payments", "shop", "6f1c2a9e-3b4d-4c5e-8f70-1a2b3c4d5e6f");
  private static final StoredVersions.Crypto CRYPTO =
      new StoredVersions.Crypto(BINDING, new EnvelopeCipher(RANDOM), KEKS);
  private static final String CURRENT = FINGERPRINTER.fingerprint("id-1".toCharArray(),
      CANARY.toCharArray());
  private static final String PREVIOUS = FINGERPRINTER.fingerprint("id-0".toCharArray(),
      (CANARY + "-old").toCharArray());
  private static final Map<String, String> DATA = store().toData();
  private static final String LEDGER = text(DATA.get("ledger.json"));
  private static final CredentialPolicy POLICY = CredentialPolicy.of(new ReloadlyCredentialSpec());

  /** A signed store: a current and a previous version with values, a retired one, an incident. */
  private static StoredVersions store() {
    VersionLedger ledger = VersionLedger.empty()
        .offer("hmac-sha256:0123456789abcdef0123456789abcdef", NOW.minus(Duration.ofDays(300)))
        .compromise("leaked in a CI log", "nothing", NOW.minus(Duration.ofDays(250)))
        .offer(PREVIOUS, NOW.minus(Duration.ofDays(200)))
        .promote(PREVIOUS, NOW.minus(Duration.ofDays(200)))
        .offer(CURRENT, NOW.minus(Duration.ofDays(10)))
        .promote(CURRENT, NOW.minus(Duration.ofDays(10)));
    StoredVersions stored = StoredVersions.empty().withLedger(ledger);
    stored = stored.withValue(PREVIOUS, new CredentialMaterial("id-0".toCharArray(),
        (CANARY + "-old").toCharArray()), CRYPTO);
    stored = stored.withValue(CURRENT, new CredentialMaterial("id-1".toCharArray(),
        CANARY.toCharArray()), CRYPTO);
    return stored.signed(MAC, BINDING, 4);
  }

  @Provide
  Arbitrary<String> ledgers() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, ledgerChange().list().ofMinSize(1).ofMaxSize(3).map(changes -> {
          JsonNode tree = readTree(LEDGER);
          for (UnaryOperator<JsonNode> change : changes) {
            tree = change.apply(tree);
          }
          return tree.toString();
        })),
        Tuple.of(2, Arbitraries.integers().between(0, LEDGER.length()).map(n ->
            LEDGER.substring(0, n))),
        Tuple.of(2, Arbitraries.of("null", "[]", "{}", "\"ledger\"", "0", "true", "",
            "{\"versions\":null}", "{\"versions\":[null]}", "{\"incidents\":[null]}",
            "{\"versions\":[{}]}", "{\"versions\":{}}", "{\"versions\":[],\"incidents\":null}",
            "{} {}", "{\"versions\":[]} trailing")),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60)),
        Tuple.of(1, Arbitraries.integers().between(1, 5000).map(depth ->
            "[".repeat(depth) + "]".repeat(depth))));
  }

  /** One change to a parsed ledger tree: a field of a version or an incident, or the shape. */
  private static Arbitrary<UnaryOperator<JsonNode>> ledgerChange() {
    Arbitrary<String> versionField = Arbitraries.of("fingerprint", "state", "createdAt",
        "validatedAt", "supersededAt", "unknown");
    Arbitrary<String> incidentField = Arbitraries.of("reportedAt", "reason", "fingerprint",
        "removed", "resolvedAt");
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 5);
    Arbitrary<JsonNode> value = Arbitraries.oneOf(
        Arbitraries.of("CURRENT", "PENDING", "PREVIOUS", "RETIRED", "COMPROMISED", "current",
            "DELETED", "", "2025-13-01T00:00:00Z", "+1000000000-01-01T00:00:00Z",
            "-1000000000-01-01T00:00:00Z", "2025-01-01", "hmac-sha256:", "v-", "..", "a/b")
            .map(NODES::textNode),
        Arbitraries.of(NODES.nullNode(), NODES.numberNode(Long.MAX_VALUE),
            NODES.numberNode(-1), NODES.numberNode(1e300), NODES.booleanNode(true),
            NODES.arrayNode(), NODES.objectNode()),
        SpecDocuments.anyJson());
    return Arbitraries.frequencyOf(
        Tuple.of(5, Combinators.combine(index, versionField, value).as((i, f, v) ->
            entry("versions", i, e -> e.set(f, v)))),
        Tuple.of(2, Combinators.combine(index, versionField).as((i, f) ->
            entry("versions", i, e -> e.remove(f)))),
        Tuple.of(3, Combinators.combine(index, incidentField, value).as((i, f, v) ->
            entry("incidents", i, e -> e.set(f, v)))),
        Tuple.of(2, Combinators.combine(Arbitraries.of("versions", "incidents", "lastReport",
            "extra"), value).as((f, v) -> tree -> {
              if (tree instanceof ObjectNode o) {
                o.set(f, v);
              }
              return tree;
            })),
        Tuple.of(2, Combinators.combine(Arbitraries.of("versions", "incidents"), value)
            .as((f, v) -> tree -> {
              if (tree.get(f) instanceof ArrayNode a) {
                a.add(v);
              }
              return tree;
            })),
        Tuple.of(1, index.map(i -> tree -> {
          // Two versions claiming the same fingerprint, or two current ones.
          if (tree.get("versions") instanceof ArrayNode a && !a.isEmpty()) {
            a.add(a.get(i % a.size()).deepCopy());
          }
          return tree;
        })));
  }

  private static UnaryOperator<JsonNode> entry(String list, int index,
      java.util.function.Consumer<ObjectNode> change) {
    return tree -> {
      if (tree.get(list) instanceof ArrayNode a && !a.isEmpty()
          && a.get(index % a.size()) instanceof ObjectNode e) {
        change.accept(e);
      }
      return tree;
    };
  }

  @Provide
  Arbitrary<Map<String, String>> storeData() {
    List<String> keys = new ArrayList<>(new java.util.TreeSet<>(DATA.keySet()));
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(keys),
        Arbitraries.of("v-ffff.client-id", "v-.client-secret", "extra", "ledger.json.bak"));
    Arbitrary<UnaryOperator<Map<String, String>>> change = Arbitraries.frequencyOf(
        Tuple.of(5, Combinators.combine(key, Mutations.of(EncryptedValue.PREFIX)).as((k, m) ->
            data -> {
              String current = data.containsKey(k) ? textOrNull(data.get(k)) : null;
              String value = current != null
                  && Mutations.bodyOf(EncryptedValue.PREFIX, current) != null
                  && current.equals(current.strip()) ? current
                  : text(DATA.get(keys.stream().filter(n -> n.endsWith("client-id"))
                      .findFirst().orElseThrow()));
              data.put(k, b64(m.applyTo(value)));
              return data;
            })),
        Tuple.of(3, ledgers().map(ledger -> data -> {
          data.put("ledger.json", b64(ledger));
          return data;
        })),
        Tuple.of(2, Combinators.combine(key, Arbitraries.oneOf(
            Arbitraries.of("", "not base64!", "=", "AAAA====", "\u00e9t\u00e9"),
            Arbitraries.strings().all().ofMaxLength(30))).as((k, raw) -> data -> {
              data.put(k, raw);
              return data;
            })),
        Tuple.of(2, Combinators.combine(Arbitraries.of("generation", "ledger.mac"),
            Arbitraries.oneOf(Arbitraries.of("", "-1", "99999999999999999999", "0x10", " 5 ",
                "NaN", "hmac-sha256:", "5"), Arbitraries.strings().ofMaxLength(20)))
            .as((k, v) -> data -> {
              data.put(k, b64(v));
              return data;
            })),
        Tuple.of(2, key.map(k -> data -> {
          data.remove(k);
          return data;
        })));
    return change.list().ofMinSize(1).ofMaxSize(3).map(changes -> {
      Map<String, String> data = new HashMap<>(DATA);
      changes.forEach(c -> c.apply(data));
      return data;
    });
  }

  @Property(tries = 3000, seed = "20250301")
  void ledgerReadsWhollyOrIsRefused(@ForAll("ledgers") String text) {
    VersionLedger ledger;
    try {
      ledger = LedgerJson.read(text);
    } catch (IllegalArgumentException refused) {
      Statistics.label("ledger").collect("refused");
      assertThat(refused.getMessage()).startsWith("the version ledger").doesNotContain(CANARY);
      assertThat(refused.getCause()).isNull();
      return;
    }
    Statistics.label("ledger").collect("read");
    assertUsable(ledger);
  }

  @Property(tries = 2000, seed = "20250302")
  void storeContentsReadWhollyOrAreRefused(@ForAll("storeData") Map<String, String> data) {
    StoredVersions stored;
    try {
      stored = StoredVersions.parse(data);
    } catch (IllegalArgumentException damaged) {
      Statistics.label("store").collect("StoreDamaged");
      assertClear(damaged, IllegalArgumentException.class);
      return;
    }
    StoredVersions.Authenticity authenticity = stored.authenticity(MAC, BINDING);
    Statistics.label("store").collect(authenticity.name());
    assertUsable(stored.ledger());
    // Every reconcile reads the KEK ids of what it parsed (compliance, lost-key check), outside
    // any catch: that must answer for any store that parsed.
    assertThat(stored.kekIds()).isNotNull();
    for (String fingerprint : List.of(CURRENT, PREVIOUS)) {
      Throwable opened = catchThrowable(() -> stored.open(fingerprint, CRYPTO).ifPresent(m -> {
        assertThat(new String(m.clientSecret())).startsWith(CANARY);
        m.close();
      }));
      assertClear(opened, StoreDecryptionException.class);
    }
    assertThat(stored.toData()).containsKey("ledger.json");
    StoredVersions.parse(stored.signed(MAC, BINDING, stored.generation() + 1).toData());
  }

  /** What a reconcile does with a ledger it read: nothing of it may throw. */
  static void assertUsable(VersionLedger ledger) {
    assertThat(ledger).isNotNull();
    ledger.current().ifPresent(c -> {
      POLICY.rotation().isDue(c, NOW);
      POLICY.rotation().nextChange(c, NOW);
    });
    ledger.pending();
    ledger.fingerprintsWithValues();
    ledger.isCompromised(CURRENT);
    ledger.handled("leaked in a CI log");
    ledger.nextRetirement(Duration.ofHours(1), Optional.of(NOW));
    ledger.retireExpired(NOW, Duration.ofHours(1), Optional.of(NOW));
    ledger.keepIncidents(1);
    ledger.offer("hmac-sha256:ffffffffffffffffffffffffffffffff", NOW);
    ledger.compromise("fuzzed", "nothing", NOW);
    assertThat(LedgerJson.read(LedgerJson.write(ledger))).isEqualTo(ledger);
    StoredVersions stored = StoredVersions.empty().withLedger(ledger);
    stored.toData();
    CredentialLifecycle.Outcome outcome = new CredentialLifecycle(NO_TOKENS).advance(
        new CredentialLifecycle.Input("payments/shop", stored, Optional.empty(), "reported",
            "https://topups-sandbox.reloadly.com", POLICY, CRYPTO, NOW));
    outcome.stored().toData();
  }

  /** Reloadly, down: the lifecycle step is exercised without a network. */
  private static final TokenRequester NO_TOKENS = new TokenRequester(
      (id, secret, audience) -> new TokenResult.RetryLater(Duration.ZERO, "fuzz: no Reloadly"),
      new ValidationBackoff(new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1),
          new java.util.Random(1))));

  private static JsonNode readTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String textOrNull(String base64) {
    try {
      return text(base64);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private static String text(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  static {
    // The base store must be what it claims before anything is mutated.
    assertThat(StoredVersions.parse(DATA).authenticity(MAC, BINDING))
        .isEqualTo(StoredVersions.Authenticity.AUTHENTIC);
    CredentialVersion current = StoredVersions.parse(DATA).ledger().current().orElseThrow();
    assertThat(current.fingerprint()).isEqualTo(CURRENT);
  }
}
