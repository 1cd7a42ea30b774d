package dev.reloadly.operator.fuzz;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.reconciler.SpecCheck;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad specs through a real reconcile: the operator runs against the embedded API server (which,
 * like a cluster with validation off, stores any spec), a credential is Ready and serving, and
 * each try updates it to a generated spec its own check refuses, then back. Every time: no
 * reconcile fails, Ready=False with reason InvalidSpec and the check's message, the target and
 * store Secrets exactly as they were; and once the spec is good again, Ready=True on the same
 * version. Fewer tries than the unit fuzzers: each costs two reconciles.
 */
@AddLifecycleHook(FuzzBudget.class)
class SpecReconcileFuzzTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String NAME = "fuzz";
  static final String TARGET = NAME + "-reloadly";
  static final String STORE = NAME + "-reloadly-store";

  private static OperatorHarness harness;
  private static ReloadlyCredentialSpec good;
  private static Map<String, String> served;
  private static String version;
  private static Map<String, String> stored;

  @BeforeContainer
  static void serveACredential() {
    harness = new OperatorHarness(new MutableClock(Instant.now()));
    harness.simulator().allowCredential("id-1", "secret-1");
    harness.start();
    harness.client().resource(sourceSecret("src", "id-1", "secret-1")).create();
    harness.client().resource(secretRefCredential(NAME, "src", TargetMode.BOTH)).create();
    await().atMost(WAIT).until(() -> "True".equals(
        harness.condition(NAME, Conditions.READY).map(Condition::getStatus).orElse(null)));
    harness.awaitSettled();
    good = harness.credential(NAME).getSpec();
    Secret target = harness.secret(TARGET);
    served = target.getData();
    version = target.getMetadata().getAnnotations().get(ApiLabels.VERSION);
    stored = harness.secret(STORE).getData();
  }

  @AfterContainer
  static void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  /** Typed specs (what an informer can read) that the operator's own check refuses. */
  @Provide
  Arbitrary<ObjectNode> refusedSpecs() {
    return SpecDocuments.documents(false).filter(document -> SpecFuzzTest.read(document)
        .map(c -> SpecCheck.problem(c.getSpec()).isPresent()).orElse(false));
  }

  @Property(tries = 25, seed = "20250601", shrinking = ShrinkingMode.OFF)
  void badSpecGetsInvalidSpecAndLeavesTheServedSecretsAlone(
      @ForAll("refusedSpecs") ObjectNode document) {
    ReloadlyCredentialSpec bad = SpecFuzzTest.read(document).orElseThrow().getSpec();
    String problem = SpecCheck.problem(bad).orElseThrow();
    Statistics.label("field").collect(problem.replaceAll("^(spec(\\.[a-zA-Z]+)*).*", "$1"));

    long generation = apply(bad);
    Condition ready = awaitReady(generation);

    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(Conditions.INVALID_SPEC);
    assertThat(ready.getMessage()).isEqualTo(problem);
    assertUntouched();

    Condition again = awaitReady(apply(good));
    assertThat(again.getStatus()).as("Ready once the spec is good again").isEqualTo("True");
    assertUntouched();
    assertThat(errors()).as("reconciles that failed with an exception").isZero();
  }

  /** Replaces the credential's spec as kubectl replace would; returns the new generation. */
  private static long apply(ReloadlyCredentialSpec spec) {
    ReloadlyCredential credential = harness.credential(NAME);
    credential.setSpec(spec);
    return harness.client().resource(credential).update().getMetadata().getGeneration();
  }

  /** The Ready condition once a reconcile of {@code generation} has written it. */
  private static Condition awaitReady(long generation) {
    return await().atMost(WAIT).until(() -> harness.condition(NAME, Conditions.READY)
            .filter(c -> c.getObservedGeneration() != null
                && c.getObservedGeneration() >= generation),
        Optional::isPresent).orElseThrow();
  }

  private static void assertUntouched() {
    Secret target = harness.secret(TARGET);
    assertThat(target).as("target Secret").isNotNull();
    assertThat(target.getData()).as("target Secret data").isEqualTo(served);
    assertThat(target.getMetadata().getAnnotations()).containsEntry(ApiLabels.VERSION, version);
    assertThat(harness.secret(STORE).getData()).as("store Secret data").isEqualTo(stored);
  }

  private static double errors() {
    return harness.runtime().registry().find(CredentialMetrics.RECONCILE_ERRORS).counters()
        .stream().mapToDouble(c -> c.count()).sum();
  }
}
