package dev.reloadly.operator.fuzz;

import static dev.reloadly.operator.fuzz.Mutations.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.reloadly.operator.crypto.EncryptedValue;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.SealedValue;
import dev.reloadly.operator.crypto.SealedValueException;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.crypto.StoreAad;
import dev.reloadly.operator.crypto.StoreDecryptionException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * Mutated sealed values ({@code rlsealed:v1:}) and envelope values ({@code rlenv:v1:}) through
 * {@link Sealer} and {@link EnvelopeCipher}: each either opens to exactly the sealed plaintext
 * (when the mutation changed nothing that counts) or fails with the project's exception and a
 * reason, never another exception, and no message holds the plaintext or a key.
 */
@AddLifecycleHook(FuzzBudget.class)
class SealedValueFuzzTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private static final SecureRandom RANDOM = Mutations.deterministicRandom(14);
  private static final SealingKeyRing RING = SealingKeyRing.generate(NOW, RANDOM);
  private static final SealingKeyRing OTHER_RING = SealingKeyRing.generate(NOW, RANDOM);
  private static final SealingScope SCOPE = SealingScope.clientSecret("payments", "shop");
  private static final String SEALED = new Sealer(RANDOM)
      .seal(CANARY.getBytes(StandardCharsets.UTF_8), SCOPE, RING.newest());

  private static final KekRing KEKS = KekRing.generate(NOW, RANDOM).rotated(NOW, RANDOM);
  private static final EnvelopeCipher CIPHER = new EnvelopeCipher(RANDOM);
  private static final byte[] AAD = StoreAad.of("payments", "shop",
      "6f1c2a9e-3b4d-4c5e-8f70-1a2b3c4d5e6f", "hmac-sha256:00112233445566778899aabbccddeeff",
      "client-secret");
  private static final String ENCRYPTED =
      CIPHER.encrypt(CANARY.getBytes(StandardCharsets.UTF_8), AAD, KEKS).encode();

  /** Key material that must never appear in a message, in the forms it is stored in. */
  private static final List<String> KEYS = keyForms();

  @Provide
  Arbitrary<Mutations.Mutation> sealedMutations() {
    return Mutations.of(SealedValue.PREFIX);
  }

  @Provide
  Arbitrary<Mutations.Mutation> envelopeMutations() {
    return Mutations.of(EncryptedValue.PREFIX);
  }

  @Provide
  Arbitrary<SealingScope> scopes() {
    Arbitrary<String> part = Arbitraries.oneOf(Arbitraries.of("payments", "shop", "shop2", ""),
        Arbitraries.strings().all().ofMaxLength(12));
    return net.jqwik.api.Combinators.combine(part, part,
        Arbitraries.of(SealingScope.CLIENT_ID, SealingScope.CLIENT_SECRET))
        .as((namespace, name, field) -> {
          try {
            return new SealingScope(namespace, name, field);
          } catch (IllegalArgumentException notAScope) {
            return SCOPE;
          }
        });
  }

  @Property(tries = 5000, seed = "20250201")
  void mutatedSealedValueOpensUnchangedOrFailsWithAReason(
      @ForAll("sealedMutations") Mutations.Mutation mutation) {
    String mutated = mutation.applyTo(SEALED);
    Sealer sealer = new Sealer(RANDOM);

    Throwable opened = catchThrowable(() -> {
      byte[] plaintext = sealer.open(mutated, SCOPE, RING);
      assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(CANARY);
      assertThat(Mutations.bodyOf(SealedValue.PREFIX, mutated)).as("opened, so unchanged")
          .isEqualTo(Mutations.bodyOf(SealedValue.PREFIX, SEALED));
    });
    Statistics.label("open").collect(outcome(opened));
    assertClear(opened, SealedValueException.class);

    // Status and metrics read the key id of every sealed value; re-sealing opens first.
    assertClear(catchThrowable(() -> SealedValue.keyIdOf(mutated)), SealedValueException.class);
    assertClear(catchThrowable(() -> sealer.reseal(mutated, SCOPE, RING.renewed(NOW, RANDOM))),
        SealedValueException.class);
    Throwable elsewhere = catchThrowable(() -> sealer.open(mutated, SCOPE, OTHER_RING));
    assertThat(elsewhere).as("another operator's ring never opens it")
        .isInstanceOf(SealedValueException.class);
    assertClear(elsewhere, SealedValueException.class);
    assertClear(catchThrowable(() -> sealer.open(mutated, SCOPE, RING.publicOnly())),
        SealedValueException.class);
  }

  @Property(tries = 1000, seed = "20250202")
  void sealedValueOpensOnlyInItsOwnScope(@ForAll("scopes") SealingScope scope) {
    Throwable opened = catchThrowable(() -> new Sealer(RANDOM).open(SEALED, scope, RING));

    if (scope.equals(SCOPE)) {
      assertThat(opened).isNull();
    } else {
      assertThat(opened).isInstanceOfSatisfying(SealedValueException.class, e ->
          assertThat(e.reason()).isEqualTo(SealedValueException.Reason.AUTHENTICATION_FAILED));
      assertClear(opened, SealedValueException.class);
    }
  }

  @Property(tries = 5000, seed = "20250203")
  void mutatedEnvelopeValueDecryptsUnchangedOrFailsWithAReason(
      @ForAll("envelopeMutations") Mutations.Mutation mutation) {
    String mutated = mutation.applyTo(ENCRYPTED);

    Throwable decrypted = catchThrowable(() -> {
      byte[] plaintext = CIPHER.decrypt(EncryptedValue.parse(mutated), AAD, KEKS);
      assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(CANARY);
      assertThat(Mutations.bodyOf(EncryptedValue.PREFIX, mutated)).as("decrypted, so unchanged")
          .isEqualTo(Mutations.bodyOf(EncryptedValue.PREFIX, ENCRYPTED));
    });
    Statistics.label("decrypt").collect(outcome(decrypted));
    assertClear(decrypted, StoreDecryptionException.class);

    // Key maintenance re-wraps and re-encrypts whatever a store holds; status reads KEK ids.
    assertClear(catchThrowable(() -> EncryptedValue.kekIdOf(mutated)),
        StoreDecryptionException.class);
    assertClear(catchThrowable(() -> CIPHER.rewrap(EncryptedValue.parse(mutated), AAD,
        KEKS.rotated(NOW, RANDOM))), StoreDecryptionException.class);
    assertClear(catchThrowable(() -> CIPHER.reencrypt(EncryptedValue.parse(mutated), AAD, KEKS)),
        StoreDecryptionException.class);
    byte[] otherRecord = Arrays.copyOf(AAD, AAD.length);
    otherRecord[otherRecord.length - 1] ^= 1;
    Throwable elsewhere = catchThrowable(() ->
        CIPHER.decrypt(EncryptedValue.parse(mutated), otherRecord, KEKS));
    assertThat(elsewhere).as("another record's associated data never decrypts it")
        .isInstanceOf(StoreDecryptionException.class);
    assertClear(elsewhere, StoreDecryptionException.class);
  }

  static String outcome(Throwable thrown) {
    if (thrown == null) {
      return "opened (nothing that counts was changed)";
    }
    if (thrown instanceof SealedValueException e) {
      return e.reason().name();
    }
    if (thrown instanceof StoreDecryptionException e) {
      return e.reason().name();
    }
    return thrown.getClass().getSimpleName();
  }

  /**
   * Nothing thrown, or the expected type only, with a message that holds neither the plaintext
   * nor key material, and no cause (parser messages can quote their input).
   */
  static void assertClear(Throwable thrown, Class<? extends RuntimeException> expected) {
    if (thrown == null) {
      return;
    }
    if (thrown instanceof AssertionError assertion) {
      throw assertion;
    }
    assertThat(thrown).as("the failure").isInstanceOf(expected);
    assertThat(thrown.getMessage()).isNotBlank().doesNotContain(CANARY);
    KEYS.forEach(key -> assertThat(thrown.getMessage()).doesNotContain(key));
    assertThat(thrown.getCause()).isNull();
  }

  private static List<String> keyForms() {
    String sealing = new String(RING.toSecretBytes(), StandardCharsets.UTF_8)
        + new String(OTHER_RING.toSecretBytes(), StandardCharsets.UTF_8);
    String keks = new String(KEKS.toSecretBytes(), StandardCharsets.UTF_8);
    return java.util.regex.Pattern.compile("\"(privateKey|key)\" : \"([^\"]+)\"")
        .matcher(sealing + keks).results()
        .flatMap(m -> {
          byte[] raw = Base64.getDecoder().decode(m.group(2));
          return java.util.stream.Stream.of(m.group(2),
              java.util.HexFormat.of().formatHex(raw),
              Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        })
        .toList();
  }
}
