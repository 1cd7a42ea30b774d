package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static dev.reloadly.operator.testing.CredentialFixtures.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Source Secrets are only read: an unlabelled one is seen through the metadata-only informer and
 * read by name, a labelled one comes from the label-filtered cache, and neither is ever written.
 */
class SourceIsOnlyReadTest {
  private static final Pattern SECRET_WRITE =
      Pattern.compile("^(PATCH|PUT) /api/v1/namespaces/([^/]+)/secrets/([^/?]+)");
  private static final String SOURCE_PATH = "/api/v1/namespaces/" + NAMESPACE + "/secrets/src";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private OperatorHarness harness;

  @BeforeEach
  void server() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential("id-1", "secret-1").allowCredential("id-2", "secret-2");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void unlabelledSourceIsReadAndNeverWritten() {
    harness.start();
    String version = harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create()
        .getMetadata().getResourceVersion();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(condition("shop", Conditions.READY)).map(Condition::getStatus).contains("True"));

    assertThat(unb64(harness.secret("shop-reloadly").getData().get("client_secret")))
        .isEqualTo("secret-1");
    assertThat(reads(SOURCE_PATH)).as("read by name from the API server").isNotEmpty();
    assertThat(writesToSecretsNotOwned()).isEmpty();
    Secret source = harness.secret("src");
    assertThat(source.getMetadata().getLabels()).doesNotContainKey(ApiLabels.SOURCE);
    assertThat(source.getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void sourceCreatedAfterTheCredentialIsPickedUpThroughTheWatch() {
    harness.start();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(condition("shop", Conditions.SOURCE_READY)).map(Condition::getReason)
            .contains(Conditions.SECRET_NOT_FOUND));

    // The clock never moves and no retry timer is set: only the watch can bring the Secret in,
    // and well before the 30 s the operator used to poll at.
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(condition("shop", Conditions.READY)).map(Condition::getStatus).contains("True"));
    assertThat(writesToSecretsNotOwned()).isEmpty();
  }

  @Test
  void updateOfAnUnlabelledSourceIsFollowed() {
    harness.start();
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.secret("shop-reloadly") != null);

    harness.client().resource(new SecretBuilder(harness.secret("src"))
        .withData(Map.of("client_id", b64("id-2"), "client_secret", b64("secret-2")))
        .build()).update();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(unb64(harness.secret("shop-reloadly").getData().get("client_secret")))
            .isEqualTo("secret-2"));
    assertThat(writesToSecretsNotOwned()).as("only the test's own update")
        .containsExactly("PUT " + NAMESPACE + "/src");
  }

  @Test
  void labelledSourceComesFromTheCacheWithoutAGet() {
    Secret labelled = sourceSecret("src", "id-1", "secret-1");
    labelled.getMetadata().setLabels(Map.of(ApiLabels.SOURCE, "true"));
    Secret created = harness.client().resource(labelled).create();
    // Started after the Secret exists, so its informer holds it before the first reconcile.
    harness.start();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> harness.secret("shop-reloadly") != null);

    // An update of the object create() returned, so the test itself never GETs the source.
    harness.client().resource(new SecretBuilder(created)
        .withData(Map.of("client_id", b64("id-2"), "client_secret", b64("secret-2")))
        .build()).update();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(unb64(harness.secret("shop-reloadly").getData().get("client_secret")))
            .isEqualTo("secret-2"));

    assertThat(reads(SOURCE_PATH)).as("two reconciles served from the cache").isEmpty();
    assertThat(metadataCache().list().map(s -> s.getMetadata().getName()))
        .as("a labelled Secret is held by one informer only").doesNotContain("src");
  }

  @Test
  void metadataInformerHoldsNoSecretData() {
    Secret unrelated = new SecretBuilder()
        .withNewMetadata().withName("unrelated").withNamespace(NAMESPACE)
        .withLabels(Map.of("app", "other"))
        .withAnnotations(Map.of("note", "kept out of the cache")).endMetadata()
        .withData(Map.of("tls.key", b64("x".repeat(10_000)))).build();
    harness.client().resource(unrelated).create();
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.start();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    harness.client().resource(sourceSecret("late", "id-2", "secret-2")).create();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(condition("shop", Conditions.READY)).map(Condition::getStatus).contains("True");
      assertThat(metadataCache().list().map(s -> s.getMetadata().getName()))
          .contains("unrelated", "src", "late");
    });

    List<GenericKubernetesResource> cached = metadataCache().list().toList();
    assertThat(cached).allSatisfy(secret -> {
      assertThat(secret.getAdditionalProperties()).as("no data, stringData or type").isEmpty();
      assertThat(secret.getMetadata().getLabels()).isNullOrEmpty();
      assertThat(secret.getMetadata().getAnnotations()).isNullOrEmpty();
      assertThat(secret.getMetadata().getManagedFields()).isNullOrEmpty();
      assertThat(secret.getMetadata().getResourceVersion()).isNotBlank();
    });
    String unrelatedVersion = harness.secret("unrelated").getMetadata().getResourceVersion();
    assertThat(metadataCache().list().filter(s -> s.getMetadata().getName().equals("unrelated")))
        .singleElement().satisfies(s ->
            assertThat(s.getMetadata().getResourceVersion()).isEqualTo(unrelatedVersion));
    // What the informer asked for; the test server ignores it and sends whole Secrets.
    assertThat(harness.server().reads()).anyMatch(r -> r.startsWith("GET /api/v1/secrets?")
        && !r.contains("watch=true") && r.contains("as=PartialObjectMetadataList;g=meta.k8s.io"));
    assertThat(harness.server().reads()).anyMatch(r -> r.startsWith("GET /api/v1/secrets?")
        && r.contains("watch=true") && r.contains("as=PartialObjectMetadata;g=meta.k8s.io"));
  }

  @Test
  void onlyTheWatchedNamespacesAreListedAndALateSourceIsStillSeen() {
    OperatorConfig base = harness.config();
    harness.start(new OperatorConfig(base.namespace(), Set.of(NAMESPACE), base.reloadlyAuthUrl(),
        base.metricsPort(), base.maxConcurrentTokenRequests(), base.sealingKeyRenewal(),
        base.kekRotation()));
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.CREDENTIALS)).create();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(condition("shop", Conditions.SOURCE_READY)).map(Condition::getReason)
            .contains(Conditions.SECRET_NOT_FOUND));

    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(condition("shop", Conditions.READY)).map(Condition::getStatus).contains("True"));
    assertThat(harness.server().reads()).filteredOn(r -> r.contains("PartialObjectMetadata"))
        .isNotEmpty()
        .allMatch(r -> r.startsWith("GET /api/v1/namespaces/" + NAMESPACE + "/secrets?"));
  }

  /** "PATCH|PUT namespace/name" of every write to a Secret that the operator does not own. */
  private List<String> writesToSecretsNotOwned() {
    return harness.server().writes().stream()
        .map(SECRET_WRITE::matcher)
        .filter(Matcher::find)
        .filter(m -> !ownedByOperator(m.group(2), m.group(3)))
        .map(m -> m.group(1) + " " + m.group(2) + "/" + m.group(3))
        .toList();
  }

  private boolean ownedByOperator(String namespace, String name) {
    Secret secret = harness.client().secrets().inNamespace(namespace).withName(name).get();
    return secret != null && secret.getMetadata().getLabels() != null
        && ApiLabels.MANAGED_BY_VALUE.equals(secret.getMetadata().getLabels().get(ApiLabels.MANAGED_BY));
  }

  /** GETs of exactly {@code path} (reads by name, not lists or watches). */
  private List<String> reads(String path) {
    return harness.server().reads().stream().filter(r -> r.startsWith("GET " + path + " ")).toList();
  }

  @SuppressWarnings("unchecked")
  private Cache<GenericKubernetesResource> metadataCache() {
    return (Cache<GenericKubernetesResource>) harness.runtime().operator()
        .getRegisteredController(ReloadlyCredentialReconciler.NAME).orElseThrow()
        .getControllerHealthInfo().eventSourceHealthIndicators()
        .get(ReloadlyCredentialReconciler.SOURCE_METADATA);
  }

  private Optional<Condition> condition(String name, String type) {
    return harness.condition(name, type);
  }
}
