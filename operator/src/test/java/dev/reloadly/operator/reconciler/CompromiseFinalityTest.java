package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.compromise.DenyList;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A compromise is final: a report on a pending version, a deleted store, a re-created credential
 * or another credential offering the same pair never gets the leaked pair served again.
 */
class CompromiseFinalityTest {
  static final String ID = "client-9";
  static final String LEAKED = "leaked-secret";
  static final String OTHER_NAMESPACE = "billing";
  static final Duration WAIT = Duration.ofSeconds(30);

  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aPendingVersionReportedCompromisedIsNeverPromotedNorServed() {
    // Reloadly does not accept the pair yet: the version stays pending.
    harness.start();
    harness.client().resource(sourceSecret("src", ID, LEAKED)).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.CREDENTIAL_VALID))
            .map(Condition::getReason).contains(Conditions.INVALID_CREDENTIALS));
    String pending = onlyVersion(NAMESPACE, "shop").getFingerprint();

    annotate(NAMESPACE, "shop", "secret pasted in a ticket before first use");

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(onlyVersion(NAMESPACE, "shop").getState()).isEqualTo("compromised");
      assertThat(harness.condition("shop", Conditions.CREDENTIAL_COMPROMISED))
          .map(Condition::getStatus).contains(Conditions.TRUE);
    });
    assertThat(harness.credential("shop").getStatus().getIncidents()).singleElement()
        .satisfies(i -> {
          assertThat(i.getFingerprint()).isEqualTo(pending);
          assertThat(i.getResolvedAt()).isNull();
        });
    assertThat(denyList().fingerprints()).containsExactly(pending);

    // Reloadly now accepts the pair, and a restarted operator has forgotten every backoff.
    harness.simulator().allowCredential(ID, LEAKED);
    harness.simulator().resetCounters();
    harness.stop();
    harness.start();
    long generation = touchSpec(NAMESPACE, "shop");

    await().atMost(WAIT).untilAsserted(() -> assertThat(
        harness.credential("shop").getStatus().getObservedGeneration()).isEqualTo(generation));
    assertThat(harness.simulator().requestsFor(ID)).isZero();
    assertThat(harness.secret("shop-reloadly")).isNull();
    assertThat(onlyVersion(NAMESPACE, "shop").getState()).isEqualTo("compromised");
    assertThat(harness.condition("shop", Conditions.CREDENTIAL_VALID)).map(Condition::getReason)
        .contains(Conditions.COMPROMISED_OFFERED);
  }

  @Test
  void deletingTheStoreAndRecreatingTheCredentialStillRefusesTheLeakedPair() {
    harness.simulator().allowCredential(ID, LEAKED);
    harness.start();
    harness.client().resource(sourceSecret("src", ID, LEAKED)).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();
    String leaked = await().atMost(WAIT).until(() -> servedVersion("shop"), v -> v != null);
    annotate(NAMESPACE, "shop", "secret printed in CI log");
    await().atMost(WAIT).untilAsserted(() -> assertThat(servedVersion("shop")).isNull());

    // Everything that recorded the compromise for this credential goes.
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop")
        .delete();
    harness.client().secrets().inNamespace(NAMESPACE)
        .withName(StoredVersions.secretName("shop")).delete();
    harness.client().secrets().inNamespace(NAMESPACE).withName("shop-reloadly").delete();
    await().atMost(WAIT).until(() -> harness.credential("shop") == null
        && harness.secret(StoredVersions.secretName("shop")) == null);
    harness.simulator().resetCounters();

    harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.CREDENTIAL_VALID))
            .map(Condition::getReason).contains(Conditions.COMPROMISED_OFFERED));
    assertThat(onlyVersion(NAMESPACE, "shop")).satisfies(v -> {
      assertThat(v.getFingerprint()).isEqualTo(leaked);
      assertThat(v.getState()).isEqualTo("compromised");
    });
    assertThat(harness.simulator().requestsFor(ID)).isZero();
    assertThat(servedVersion("shop")).isNull();
    // Never stored: the store holds no value of the refused version.
    Secret store = harness.secret(StoredVersions.secretName("shop"));
    assertThat(store == null ? List.<String>of() : store.getData().keySet())
        .noneMatch(k -> k.startsWith("v-"));
  }

  @Test
  void anotherCredentialInAnotherNamespaceOfferingTheSamePairIsRefused() {
    harness.simulator().allowCredential(ID, LEAKED);
    harness.start();
    harness.client().resource(sourceSecret("src", ID, LEAKED)).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();
    String leaked = await().atMost(WAIT).until(() -> servedVersion("shop"), v -> v != null);
    annotate(NAMESPACE, "shop", "secret printed in CI log");
    await().atMost(WAIT).until(() -> denyList().contains(leaked));
    harness.simulator().resetCounters();

    Secret source = sourceSecret("src", ID, LEAKED);
    source.getMetadata().setNamespace(OTHER_NAMESPACE);
    harness.client().resource(source).create();
    ReloadlyCredential other = secretRefCredential("billing-api", "src", TargetMode.BOTH);
    other.getMetadata().setNamespace(OTHER_NAMESPACE);
    harness.client().resource(other).create();

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(condition(OTHER_NAMESPACE, "billing-api", Conditions.CREDENTIAL_VALID))
            .map(Condition::getReason).contains(Conditions.COMPROMISED_OFFERED));
    assertThat(onlyVersion(OTHER_NAMESPACE, "billing-api")).satisfies(v -> {
      assertThat(v.getFingerprint()).isEqualTo(leaked);
      assertThat(v.getState()).isEqualTo("compromised");
    });
    assertThat(harness.simulator().requestsFor(ID)).isZero();
    assertThat(harness.client().secrets().inNamespace(OTHER_NAMESPACE)
        .withName("billing-api-reloadly").get()).isNull();
  }

  @Test
  void aReportOnOneCredentialWithdrawsTheSamePairServedByAnother() {
    harness.simulator().allowCredential(ID, LEAKED);
    harness.start();
    harness.client().resource(sourceSecret("src", ID, LEAKED)).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();
    harness.client().resource(secretRefCredential("shop-copy", "src", TargetMode.BOTH)).create();
    String leaked = await().atMost(WAIT).until(() -> servedVersion("shop-copy"), v -> v != null);

    annotate(NAMESPACE, "shop", "secret printed in CI log");

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(servedVersion("shop-copy")).isNull();
      assertThat(harness.secret("shop-copy-reloadly").getData())
          .doesNotContainKeys("access_token", "client_secret");
    });
    assertThat(onlyVersion(NAMESPACE, "shop-copy").getState()).isEqualTo("compromised");
    assertThat(harness.credential("shop-copy").getStatus().getIncidents()).singleElement()
        .satisfies(i -> assertThat(i.getFingerprint()).isEqualTo(leaked));
  }

  @Test
  void aReasonIsStoredAsOneCappedLine() {
    harness.simulator().allowCredential(ID, LEAKED);
    harness.start();
    harness.client().resource(sourceSecret("src", ID, LEAKED)).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();
    await().atMost(WAIT).until(() -> servedVersion("shop"), v -> v != null);

    annotate(NAMESPACE, "shop", "line one\\nline two\\u001b[2J" + "x".repeat(3000));

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.credential("shop").getStatus().getIncidents()).singleElement()
            .satisfies(i -> {
              assertThat(i.getReason()).startsWith("line one line two [2Jxxx").hasSize(1024);
              assertThat(i.getReason().chars()).noneMatch(Character::isISOControl);
            }));
  }

  @Test
  void onlyTheLastIncidentsAreKeptAndATrimmedReportLeftInTheAnnotationNeverFiresAgain() {
    harness.simulator().allowCredential(ID, LEAKED);
    harness.start(harness.config().withIncidentHistory(1));
    harness.client().resource(sourceSecret("src", ID, LEAKED)).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();
    await().atMost(WAIT).until(() -> servedVersion("shop"), v -> v != null);
    annotate(NAMESPACE, "shop", "first leak");
    await().atMost(WAIT).untilAsserted(() -> assertThat(servedVersion("shop")).isNull());

    // A second version, then listed through another credential: a second incident on "shop".
    rotateSource("second-secret");
    String second = await().atMost(WAIT).until(() -> servedVersion("shop"), v -> v != null);
    harness.client().resource(secretRefCredential("shop-copy", "src", TargetMode.BOTH)).create();
    await().atMost(WAIT).until(() -> servedVersion("shop-copy"), second::equals);
    annotate(NAMESPACE, "shop-copy", "second leak");
    await().atMost(WAIT).untilAsserted(() -> assertThat(
        harness.credential("shop").getStatus().getIncidents()).as(() -> incidents("shop"))
        .singleElement().satisfies(i -> assertThat(i.getFingerprint()).isEqualTo(second)));

    // "first leak" is still in the annotation, its incident trimmed: a third version is served.
    rotateSource("third-secret");
    String third = await().atMost(WAIT).until(() -> servedVersion("shop"),
        v -> v != null && !v.equals(second));
    long generation = touchSpec(NAMESPACE, "shop");
    await().atMost(WAIT).untilAsserted(() -> assertThat(
        harness.credential("shop").getStatus().getObservedGeneration()).isEqualTo(generation));
    assertThat(servedVersion("shop")).isEqualTo(third);
    assertThat(harness.credential("shop").getStatus().getIncidents()).singleElement()
        .satisfies(i -> assertThat(i.getResolvedAt()).isNotNull());
    assertThat(harness.credential("shop").getMetadata().getAnnotations())
        .containsEntry(ApiLabels.COMPROMISED, "first leak");
  }

  /** The incidents as text, so a failure says what the operator recorded. */
  private String incidents(String name) {
    return harness.credential(name).getStatus().getIncidents().stream()
        .map(i -> i.getReason() + " | " + i.getFingerprint() + " | " + i.getResolvedAt())
        .toList().toString();
  }

  private void rotateSource(String secret) {
    harness.simulator().allowCredential(ID, secret);
    harness.client().resource(new SecretBuilder(harness.secret("src"))
        .withData(Map.of("client_id", b64(ID), "client_secret", b64(secret))).build()).update();
  }

  private DenyList denyList() {
    Secret secret = harness.client().secrets().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(DenyList.SECRET).get();
    return secret == null ? DenyList.empty() : DenyList.parse(secret.getData());
  }

  private void annotate(String namespace, String name, String reason) {
    harness.client().resources(ReloadlyCredential.class).inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
            + ApiLabels.COMPROMISED + "\":\"" + reason + "\"}}}");
  }

  /** Changes the spec (the owner's team), so a reconcile shows in status.observedGeneration. */
  private long touchSpec(String namespace, String name) {
    // A merge patch: a status write between a read and an update would make that a 409.
    return harness.client().resources(ReloadlyCredential.class).inNamespace(namespace)
        .withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"owner\":{\"team\":\"payments-oncall\"}}}")
        .getMetadata().getGeneration();
  }

  private CredentialVersionStatus onlyVersion(String namespace, String name) {
    ReloadlyCredential credential = harness.client().resources(ReloadlyCredential.class)
        .inNamespace(namespace).withName(name).get();
    assertThat(credential.getStatus().getVersions()).hasSize(1);
    return credential.getStatus().getVersions().get(0);
  }

  private Optional<Condition> condition(String namespace, String name, String type) {
    ReloadlyCredential credential = harness.client().resources(ReloadlyCredential.class)
        .inNamespace(namespace).withName(name).get();
    if (credential == null || credential.getStatus() == null) {
      return Optional.empty();
    }
    return Conditions.find(credential.getStatus().getConditions(), type);
  }

  private String servedVersion(String name) {
    Secret target = harness.secret(name + "-reloadly");
    if (target == null || target.getMetadata().getAnnotations() == null) {
      return null;
    }
    return target.getMetadata().getAnnotations().get(ApiLabels.VERSION);
  }
}
