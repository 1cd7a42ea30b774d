package dev.reloadly.operator.egress;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.EgressSpec;
import dev.reloadly.operator.api.v1alpha1.ProbeSpec;
import dev.reloadly.operator.api.v1alpha1.ProbeStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The egress probe on the CRUD server: the test plays the Job controller and the kubelet (the
 * Job's status, and its pod's termination message) and moves the clock to the next interval.
 */
class EgressProbeTest {
  static final String ID = "client-7";
  static final Duration WAIT = Duration.ofSeconds(30);

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorHarness harness;
  private CredentialSteps steps;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential(ID, "secret-1");
    steps = new CredentialSteps(harness, "shop", "src", ID, WAIT);
    harness.start();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aProbeJobRunsOnANatNodeEachIntervalAndItsAnswerSetsEgressVerified() {
    createCredential(TargetMode.TOKEN);
    String version = steps.awaitServedVersion();
    Job job = await().atMost(WAIT).until(this::currentJob, j -> j != null);

    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsExactlyEntriesOf(
        Map.of("security.reloadly.dev/nat-node", "true"));
    assertThat(pod.getTolerations()).singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("nat-only"));
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getContainers()).singleElement().satisfies(c -> {
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getImage()).isEqualTo("registry.example.com/curl:8");
      Map<String, String> env = c.getEnv().stream().filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
      assertThat(env).containsEntry("PROBE_URL",
          "https://topups-sandbox.reloadly.com/accounts/balance")
          .containsEntry("PROXY_PORT", "3128")
          .containsEntry("TOKEN_FILE", "/var/run/reloadly/access_token");
    });
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getSecret().getSecretName()).isEqualTo("shop-reloadly");
      assertThat(v.getSecret().getItems()).singleElement()
          .satisfies(i -> assertThat(i.getKey()).isEqualTo("access_token"));
    });
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isPositive();
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("shop"));
    String served = harness.secret("shop-reloadly").getData().get("access_token");
    assertThat(harness.client().getKubernetesSerialization().asJson(job))
        .as("the token reaches the Job only as the mounted Secret").doesNotContain(served)
        .doesNotContain(version.substring(version.indexOf(":") + 1));

    finish(job, true, "http=200 curl=0");
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(steps.reason(Conditions.EGRESS_VERIFIED)).isEqualTo(Conditions.PROBE_PASSED));
    ProbeStatus status = harness.credential("shop").getStatus().getEgress().getProbe();
    assertThat(status.getHttpStatus()).isEqualTo(200);
    assertThat(status.getJob()).isEqualTo(job.getMetadata().getName());

    // Not again before the interval; at it, a new Job. Reloadly refuses this one.
    clock.advance(Duration.ofHours(6));
    steps.touchSource();
    Job second = await().atMost(WAIT).until(this::currentJob,
        j -> j != null && !j.getMetadata().getName().equals(job.getMetadata().getName()));
    finish(second, false, "http=403 curl=0");
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.EGRESS_VERIFIED))
        .isEqualTo(Conditions.PROBE_REJECTED));
    assertThat(harness.condition("shop", Conditions.EGRESS_VERIFIED).orElseThrow().getMessage())
        .contains("403");
  }

  @Test
  void withoutATokenInTheTargetThereIsNothingToProbeWith() {
    createCredential(TargetMode.CREDENTIALS);
    steps.awaitServedVersion();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(steps.reason(Conditions.EGRESS_VERIFIED)).isEqualTo(Conditions.NO_TOKEN));
    assertThat(harness.client().batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
        .isEmpty();
  }

  /** Plays the kubelet and the Job controller: the pod ended with a message, the Job too. */
  private void finish(Job job, boolean succeeded, String message) {
    String name = job.getMetadata().getName();
    harness.client().pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata()
        .withName(name + "-x").addToLabels("job-name", name).endMetadata()
        .withNewSpec().addNewContainer().withName("probe").withImage("i").endContainer()
        .endSpec().withNewStatus().addNewContainerStatus().withName("probe").withNewState()
        .withNewTerminated().withExitCode(succeeded ? 0 : 1).withMessage(message).endTerminated()
        .endState().endContainerStatus().endStatus().build()).create();
    Job done = harness.client().batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
    done.setStatus(succeeded ? new JobStatusBuilder().withSucceeded(1).build()
        : new JobStatusBuilder().withFailed(1).build());
    done.getMetadata().setResourceVersion(null);
    harness.client().resource(done).update();
  }

  private Job currentJob() {
    ReloadlyCredential c = harness.credential("shop");
    if (c == null || c.getStatus() == null || c.getStatus().getEgress() == null
        || c.getStatus().getEgress().getProbe() == null) {
      return null;
    }
    return harness.client().batch().v1().jobs().inNamespace(NAMESPACE)
        .withName(c.getStatus().getEgress().getProbe().getJob()).get();
  }


  private void createCredential(TargetMode mode) {
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    ReloadlyCredential credential = secretRefCredential("shop", "src", mode);
    EgressSpec egress = new EgressSpec();
    egress.setAllowlistedIPs(List.of("203.0.113.0/24"));
    ProbeSpec probe = new ProbeSpec();
    probe.setEnabled(true);
    probe.setImage("registry.example.com/curl:8");
    probe.setTolerations(List.of(new TolerationBuilder().withKey("nat-only")
        .withOperator("Exists").withEffect("NoSchedule").build()));
    egress.setProbe(probe);
    credential.getSpec().setEgress(egress);
    harness.client().resource(credential).create();
  }
}
