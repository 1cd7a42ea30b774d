package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What serving costs in writes and tokens: a promotion mints exactly one token (read-your-writes
 * on the target), a routine refresh is one status write and no Event, and both hold on a
 * reconcile that is proven to have run.
 */
class ServingWritesTest {
  static final String ID = "client-9";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String STATUS = "reloadlycredentials/shop/status";
  static final String TARGET = "secrets/shop-reloadly";
  static final String EVENTS = "/events";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential(ID, "secret-1").tokenLifetime(Duration.ofHours(1));
    harness.start();
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.TOKEN)).create();
    await().atMost(WAIT).until(() -> harness.condition("shop", Conditions.READY)
        .map(Condition::getStatus).orElse("").equals("True"));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void promotionMintsExactlyOneTokenPerVersion() {
    String first = servedVersion();
    harness.simulator().rotateCredential(ID, "secret-2");
    harness.client().secrets().inNamespace(NAMESPACE).withName("src").edit(s -> {
      s.getData().put("client_secret", b64("secret-2"));
      return s;
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(servedVersion())
        .as(() -> harness.client().getKubernetesSerialization()
            .asYaml(harness.credential("shop").getStatus()))
        .isNotEqualTo(first));

    // Reconciles after the promotion see the target as written, so they mint nothing more.
    reconcileAndSettle();
    reconcileAndSettle();
    assertThat(harness.simulator().issuedTokens())
        .as("one token per validated version, served as minted").hasSize(2);
  }

  @Test
  void aRoutineRefreshIsOneStatusWriteAndNoEvent() {
    String issuedBefore = target().getMetadata().getAnnotations().get(ApiLabels.TOKEN_ISSUED_AT);
    long statusWrites = harness.server().writesTo(STATUS);
    long events = harness.server().writesTo(EVENTS);
    long targetWrites = harness.server().writesTo(TARGET);

    // Past the refresh point of a one-hour token, before it expires.
    clock.advance(Duration.ofMinutes(58));
    touchSource();
    await().atMost(WAIT).until(() -> !issuedBefore.equals(
        target().getMetadata().getAnnotations().get(ApiLabels.TOKEN_ISSUED_AT)));
    reconcileAndSettle();

    assertThat(harness.simulator().issuedTokens()).hasSize(2);
    assertThat(harness.server().writesTo(TARGET) - targetWrites).as("target writes").isEqualTo(1);
    assertThat(harness.server().writesTo(STATUS) - statusWrites).as("status writes").isEqualTo(1);
    assertThat(harness.server().writesTo(EVENTS) - events).as("Events").isZero();
    assertThat(harness.condition("shop", Conditions.TOKEN_READY)).map(Condition::getReason)
        .contains(Conditions.TOKEN_VALID);
  }

  /** Triggers a reconcile through the watched source and waits until one more has finished. */
  private void reconcileAndSettle() {
    double before = reconciles();
    touchSource();
    await().atMost(WAIT).until(() -> reconciles() > before);
    List<String> writes = operatorWrites();
    // Another reconcile that writes nothing: the counts stand.
    double after = reconciles();
    touchSource();
    await().atMost(WAIT).until(() -> reconciles() > after);
    assertThat(operatorWrites()).as("a second reconcile writes nothing more")
        .hasSameSizeAs(writes);
  }

  /** Writes the server saw, less the test's own touches of the source Secret. */
  private List<String> operatorWrites() {
    return harness.server().writes().stream().filter(w -> !w.contains("/secrets/src")).toList();
  }

  /** A label change on the source Secret: watched, but changes nothing the operator uses. */
  private void touchSource() {
    harness.client().secrets().inNamespace(NAMESPACE).withName("src").patch(
        PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"touched\":\"" + System.nanoTime() + "\"}}}");
  }

  private double reconciles() {
    return harness.runtime().registry().counter(CredentialMetrics.RECONCILES).count();
  }

  private Secret target() {
    return harness.secret("shop-reloadly");
  }

  private String servedVersion() {
    Map<String, String> annotations = target() == null ? null : target().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ApiLabels.VERSION);
  }
}
