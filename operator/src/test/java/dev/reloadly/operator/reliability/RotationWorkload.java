package dev.reloadly.operator.reliability;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static dev.reloadly.operator.testing.CredentialFixtures.withConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * A realistic workload run against an API server that fails a share of the operator's requests:
 * {@code credentials} secretRef credentials, each with one consumer Deployment that mounts its
 * target Secret, all created at once; once they are served, every {@code rotateEvery}-th is
 * rotated. The run checks convergence (every credential Ready and serving its newest version,
 * each consumer restarted exactly once per new version, none for a first version) and measures
 * it.
 */
final class RotationWorkload {
  /** What a run measured; requests and writes are the operator's only. */
  record Figures(double rate, long seed, int credentials, int rotated, long requests,
      long watches, long writes, long writesApplied, Map<ApiFaults.Kind, Long> faults,
      Duration firstServed, Duration rotationConverged, double reconcileErrors) {

    long injected() {
      return faults.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line for the test's output and docs/reliability.md. */
    String line() {
      return String.format(Locale.ROOT, "reliability: rate %.0f%% seed %d: %d credentials, %d"
          + " rotated; %d requests (%d watches), %d faults %s; %d writes sent, %d applied (%.1f"
          + " per credential); all served in %.1f s, rotation converged in %.1f s; %d reconcile"
          + " errors", rate * 100, seed, credentials, rotated, requests, watches, injected(),
          faults, writes, writesApplied, (double) writesApplied / credentials,
          firstServed.toMillis() / 1000.0, rotationConverged.toMillis() / 1000.0, (long) reconcileErrors);
    }
  }

  /** Generous: a loaded 2-core machine, 429s that wait a second each, and slow answers. */
  static final Duration CONVERGE_WITHIN = Duration.ofMinutes(3);

  private RotationWorkload() {}

  static Figures run(double rate, long seed, int credentials, int rotateEvery) {
    ApiFaults faults = new ApiFaults(rate, seed);
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    try (OperatorHarness harness =
        new OperatorHarness(clock, EmbeddedApiServer.start(faults::in))) {
      List<String> names = IntStream.range(0, credentials)
          .mapToObj(i -> String.format(Locale.ROOT, "cred-%02d", i)).toList();
      names.forEach(name -> harness.simulator().allowCredential(clientId(name), "secret-1"));
      harness.start();

      long start = System.nanoTime();
      for (String name : names) {
        Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
            app(name), name + "-reloadly", Workloads.Reading.VOLUME));
        harness.client().resource(sourceSecret(source(name), clientId(name), "secret-1"))
            .create();
        ReloadlyCredential credential = withConsumer(
            secretRefCredential(name, source(name), TargetMode.TOKEN), WorkloadKind.Deployment,
            app(name));
        // Restart as soon as a new version is served: the run measures the faults, not a delay.
        credential.getSpec().getConsumers().setDelay("0s");
        harness.client().resource(credential).create();
      }
      Map<String, String> first = new HashMap<>();
      await().atMost(CONVERGE_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        for (String name : names) {
          String served = steps(harness, name).servedVersion();
          assertThat(served).as(name + " served").isNotNull();
          assertReady(harness, name);
          first.put(name, served);
        }
      });
      Duration firstServed = Duration.ofNanos(System.nanoTime() - start);

      List<String> rotated = new ArrayList<>();
      for (int i = 0; i < names.size(); i += rotateEvery) {
        rotated.add(names.get(i));
      }
      long rotation = System.nanoTime();
      for (String name : rotated) {
        harness.simulator().rotateCredential(clientId(name), "secret-2");
        steps(harness, name).offer("secret-2");
      }
      Set<String> playedHealthy = ConcurrentHashMap.newKeySet();
      await().atMost(CONVERGE_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        // Plays the Deployment controller for every restart that is in, before any check: a
        // consumer left rolling holds one of the operator-wide rollout slots.
        for (String name : rotated) {
          String restartedFor = restartedFor(harness, name);
          if (restartedFor != null && !restartedFor.equals(first.get(name))
              && playedHealthy.add(name)) {
            Workloads.healthy(harness.client(), "Deployment", NAMESPACE, app(name));
          }
        }
        for (String name : rotated) {
          String served = steps(harness, name).servedVersion();
          assertThat(served).as(name + " serves its new version").isNotEqualTo(first.get(name));
          assertThat(restartedFor(harness, name)).as(name + "'s consumer restarted")
              .isEqualTo(served);
          assertThat(steps(harness, name).reason(Conditions.ROLLOUT_COMPLETE)).as(name)
              .isEqualTo(Conditions.ROLLED_OUT);
        }
        for (String name : names) {
          assertReady(harness, name);
        }
      });
      Duration rotationConverged = Duration.ofNanos(System.nanoTime() - rotation);

      // Counted after the faults stop and the operator has gone quiet, so that a late second
      // restart would be seen.
      faults.heal();
      harness.awaitSettled();
      for (String name : names) {
        assertThat(restartPatches(harness, name)).as(name + "'s consumer restarts")
            .isEqualTo(rotated.contains(name) ? 1 : 0);
        assertThat(steps(harness, name).servedVersion()).as(name)
            .isEqualTo(rotated.contains(name) ? restartedFor(harness, name) : first.get(name));
      }
      double errors = harness.runtime().registry().get(CredentialMetrics.RECONCILE_ERRORS)
          .counter().count();
      return new Figures(rate, seed, credentials, rotated.size(), faults.operatorRequests(),
          faults.operatorWatches(), faults.operatorWrites(), faults.writesApplied(),
          faults.injectedByKind(), firstServed, rotationConverged, errors);
    }
  }

  private static void assertReady(OperatorHarness harness, String name) {
    assertThat(harness.condition(name, Conditions.READY)).map(Condition::getStatus).as(name)
        .contains(Conditions.TRUE);
  }

  private static CredentialSteps steps(OperatorHarness harness, String name) {
    return new CredentialSteps(harness, name, source(name), clientId(name), Duration.ZERO);
  }

  private static String restartedFor(OperatorHarness harness, String name) {
    return Workloads.restartedFor(harness.client(), WorkloadKind.Deployment, NAMESPACE, app(name));
  }

  /** Restart patches that reached the store (a failed one never did). */
  private static long restartPatches(OperatorHarness harness, String name) {
    String path = "/namespaces/" + NAMESPACE + "/deployments/" + app(name);
    return harness.server().writes().stream()
        .filter(w -> w.startsWith("PATCH ") && (w.endsWith(path) || w.contains(path + "?")))
        .count();
  }

  private static String clientId(String name) {
    return "client-" + name;
  }

  private static String source(String name) {
    return name + "-source";
  }

  private static String app(String name) {
    return name + "-app";
  }
}
