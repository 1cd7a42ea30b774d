package dev.reloadly.operator.reliability;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import dev.reloadly.operator.compliance.PolicyReports;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.metrics.MetricsServer;
import dev.reloadly.operator.reliability.SecretHygiene.Channel;
import dev.reloadly.operator.reliability.SecretHygiene.Finding;
import dev.reloadly.operator.reliability.SecretHygiene.Report;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.CrdDiscovery;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The secret hygiene check: it finds a canary planted in any channel it reads, and finds none
 * after the operator took canary credentials through their life at DEBUG: a cold start, a
 * rotation with a consumer, a forced token refresh, a new version Reloadly rejects, Reloadly
 * failing and throttling, and a compromise report.
 */
class SecretHygieneTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String ID = "CANARY-hygiene-client-Jm4Rw7";
  static final String SECRET_1 = "CANARY/hygiene+s3cr3t=one&Pz";
  static final String SECRET_2 = "CANARY/hygiene+s3cr3t=two&Qy";
  static final String WRONG = "CANARY/hygiene+wrong=three&Rx";
  static final String SECRET_3 = "CANARY/hygiene+s3cr3t=four&Sw";

  @Test
  void aCanaryPlantedInAnyChannelIsReportedInIt() throws IOException, InterruptedException {
    // What each channel gets, each in another spelling: the check must know them all.
    Map<Channel, String> planted = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      planted.put(channel, "planted-" + channel.name().toLowerCase() + "-canary-Zx4");
    }
    EmbeddedApiServer server = EmbeddedApiServer.start(crud -> new CrdDiscovery(crud,
        "wgpolicyk8s.io/v1alpha2", "PolicyReport", "policyreports", true));
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    CountDownLatch release = new CountDownLatch(1);
    Thread named = new Thread(() -> waitFor(release), "worker for " + planted.get(
        Channel.THREAD_DUMP));
    Report report;
    try (KubernetesClient client = server.newClient();
        MetricsServer metrics = MetricsServer.start(registry, 0);
        SecretHygiene hygiene = SecretHygiene.start()) {
      server.installCrd(client);
      planted.forEach((channel, value) -> hygiene.canary("planted in " + channel, value));
      hygiene.canary("never planted", "never-planted-canary-Yw3");

      // Logs, in both formats: a value the redaction layer was never told about.
      LoggerFactory.getLogger("dev.reloadly.operator.Planted").info("planted {} and {}",
          planted.get(Channel.PLAIN_LOG), planted.get(Channel.JSON_LOG));
      // An exception: in a suppressed exception's cause, URL-encoded.
      RuntimeException thrown = new IllegalStateException("outer");
      thrown.addSuppressed(new RuntimeException("suppressed", new IOException(
          "body was name=" + URLEncoder.encode(planted.get(Channel.EXCEPTIONS),
              StandardCharsets.UTF_8))));
      LoggerFactory.getLogger("dev.reloadly.operator.Planted").warn("failed", thrown);
      // An Event: base64url of the value one byte into a longer text.
      client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
          .withNewMetadata().withName("planted").withNamespace(NAMESPACE).endMetadata()
          .withReason("Planted").withMessage("blob " + Base64.getUrlEncoder().encodeToString(
              ("x" + planted.get(Channel.EVENTS) + "yz").getBytes(StandardCharsets.UTF_8)))
          .build()).create();
      // A credential's status: base64, padded.
      ReloadlyCredential credential = client.resource(
          secretRefCredential("shop", "src", TargetMode.TOKEN)).create();
      ReloadlyCredentialStatus status = new ReloadlyCredentialStatus();
      status.setConditions(List.of(new ConditionBuilder().withType(Conditions.READY)
          .withStatus("False").withReason("Planted").withMessage(Base64.getEncoder()
              .encodeToString(planted.get(Channel.CREDENTIAL_STATUS)
                  .getBytes(StandardCharsets.UTF_8))).build()));
      credential.setStatus(status);
      client.resource(credential).updateStatus();
      // The metrics: a label value, base64 two bytes into a longer text.
      Gauge.builder("planted", () -> 1).tag("value", Base64.getEncoder().withoutPadding()
          .encodeToString(("ab" + planted.get(Channel.METRICS) + "c")
              .getBytes(StandardCharsets.UTF_8))).register(registry);
      // A PolicyReport: URL-encoded with %20.
      GenericKubernetesResource policyReport = new GenericKubernetesResource();
      policyReport.setApiVersion("wgpolicyk8s.io/v1alpha2");
      policyReport.setKind("PolicyReport");
      policyReport.setMetadata(new ObjectMetaBuilder().withName(PolicyReports.NAME)
          .withNamespace(NAMESPACE).build());
      policyReport.setAdditionalProperty("results", List.of(Map.of("message",
          URLEncoder.encode(planted.get(Channel.POLICY_REPORTS) + " x", StandardCharsets.UTF_8)
              .replace("+", "%20"))));
      client.genericKubernetesResources(PolicyReports.CONTEXT).inNamespace(NAMESPACE)
          .resource(policyReport).create();
      // A thread: in its name.
      named.start();

      report = hygiene.scan(client, List.of(URI.create("http://127.0.0.1:" + metrics.port()
          + "/metrics")));
    } finally {
      release.countDown();
      named.join();
      server.close();
    }

    for (Channel channel : Channel.values()) {
      assertThat(report.findings()).as("planted in %s", channel)
          .anySatisfy(f -> {
            assertThat(f.channel()).isEqualTo(channel);
            assertThat(f.canary()).isEqualTo("planted in " + channel);
          });
    }
    assertThat(report.findings()).extracting(Finding::canary).doesNotContain("never planted");
    assertThat(report.channels()).containsExactlyInAnyOrder(Channel.values());
    assertThat(report.toString()).as("a report names canaries, never shows them")
        .doesNotContain(planted.values().toArray(String[]::new));
  }

  @Test
  void canariesAppearNowhereThroughACredentialsLifeAtDebug() throws IOException {
    int port = SecretHygiene.freePort();
    List<URI> metrics = List.of(URI.create("http://127.0.0.1:" + port + "/metrics"));
    Map<String, Report> reports = new LinkedHashMap<>();
    try (SecretHygiene hygiene = SecretHygiene.start().debug();
        OperatorHarness harness = new OperatorHarness(Clock.systemUTC(),
            EmbeddedApiServer.start(crud -> new CrdDiscovery(crud, "wgpolicyk8s.io/v1alpha2",
                "PolicyReport", "policyreports", true)))) {
      hygiene.canary("client ID", ID).canary("client secret 1", SECRET_1)
          .canary("client secret 2", SECRET_2).canary("rejected client secret", WRONG)
          .canary("client secret 3", SECRET_3);
      CredentialSteps steps = new CredentialSteps(harness, "shop", "src", ID, WAIT);
      harness.simulator().allowCredential(ID, SECRET_1);
      harness.start(harness.config().withMetricsPort(port));

      // Cold start to Ready, with a consumer.
      harness.client().resource(sourceSecret("src", ID, SECRET_1)).create();
      Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
          "api", "shop-reloadly", Workloads.Reading.VOLUME));
      harness.client().resource(credential()).create();
      await().atMost(WAIT).until(() -> Conditions.TRUE.equals(status(harness, Conditions.READY)));
      reports.put("cold start to Ready", clean(hygiene, harness, metrics));

      // A rotation: tested, served, the consumer restarted and healthy on it.
      String second = steps.rotate(SECRET_2);
      await().atMost(WAIT).until(() -> second.equals(Workloads.restartedFor(harness.client(),
          WorkloadKind.Deployment, NAMESPACE, "api")));
      Workloads.healthy(harness.client(), "Deployment", NAMESPACE, "api");
      await().atMost(WAIT).until(() -> Conditions.ROLLED_OUT.equals(
          steps.reason(Conditions.ROLLOUT_COMPLETE)));
      reports.put("rotation with a consumer", clean(hygiene, harness, metrics));

      // A token refresh a person asked for.
      int tokens = harness.simulator().issuedTokens().size();
      steps.annotate(ApiLabels.REFRESH_TOKEN, "now");
      await().atMost(WAIT).until(() -> harness.simulator().issuedTokens().size() > tokens
          && !harness.credential("shop").getMetadata().getAnnotations()
              .containsKey(ApiLabels.REFRESH_TOKEN));
      reports.put("forced token refresh", clean(hygiene, harness, metrics));

      // A new version Reloadly rejects: the current one keeps serving.
      steps.offer(WRONG);
      await().atMost(WAIT).until(() -> Conditions.INVALID_CREDENTIALS.equals(
          steps.reason(Conditions.CREDENTIAL_VALID)));
      assertThat(steps.servedVersion()).isEqualTo(second);
      reports.put("invalid new version rejected", clean(hygiene, harness, metrics));

      // Reloadly fails twice, then throttles once, while the next version is tested.
      long requests = harness.simulator().totalRequests();
      harness.simulator().failNext(2, 503).rateLimitNext(1, Duration.ofSeconds(1));
      String third = steps.rotate(SECRET_3);
      assertThat(third).isNotEqualTo(second);
      assertThat(harness.simulator().totalRequests() - requests)
          .as("two failures, one 429, then the token").isGreaterThanOrEqualTo(4);
      reports.put("Reloadly 503 twice and 429 once", clean(hygiene, harness, metrics));

      // A compromise report: the served version is withdrawn.
      steps.annotate(ApiLabels.COMPROMISED, "hygiene drill");
      await().atMost(WAIT).until(() -> Conditions.TRUE.equals(
          status(harness, Conditions.CREDENTIAL_COMPROMISED)));
      reports.put("compromise report", clean(hygiene, harness, metrics));

      Report last = reports.get("compromise report");
      // Every channel had something to read, so none passed by being empty.
      for (Channel channel : List.of(Channel.PLAIN_LOG, Channel.JSON_LOG, Channel.EVENTS,
          Channel.CREDENTIAL_STATUS, Channel.METRICS, Channel.POLICY_REPORTS,
          Channel.THREAD_DUMP)) {
        assertThat(last.scanned().get(channel)).as("texts read in %s", channel).isPositive();
      }
      assertThat(last.canaries()).as("5 client values and every token issued")
          .isEqualTo(5 + harness.simulator().issuedTokens().size());
      write(reports, harness.simulator().issuedTokens().size());
    }
  }

  /** The hygiene check with every token issued so far; fails on any occurrence. */
  private static Report clean(SecretHygiene hygiene, OperatorHarness harness, List<URI> metrics) {
    return hygiene.tokensIssuedBy(harness.simulator()).assertClean(harness.client(), metrics);
  }

  /** Token and credentials served; one Deployment restarted on a new version; no delays. */
  private static ReloadlyCredential credential() {
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.BOTH);
    RotationPolicy rotation = new RotationPolicy();
    rotation.setGracePeriod("0s");
    credential.getSpec().setRotation(rotation);
    Consumers consumers = new Consumers();
    consumers.setStrategy(RolloutStrategy.RESTART);
    consumers.setDelay("0s");
    WorkloadRef ref = new WorkloadRef();
    ref.setKind(WorkloadKind.Deployment);
    ref.setName("api");
    consumers.setWorkloads(List.of(ref));
    credential.getSpec().setConsumers(consumers);
    return credential;
  }

  private static String status(OperatorHarness harness, String type) {
    return harness.condition("shop", type).map(c -> c.getStatus()).orElse(null);
  }

  /** The scan counts per phase, for docs/reliability.md. */
  private static void write(Map<String, Report> reports, int tokens) throws IOException {
    StringBuilder out = new StringBuilder("canaries: 5 client values + " + tokens
        + " tokens issued; spellings per canary: up to 14\n");
    reports.forEach((phase, report) -> out.append(phase).append(": ").append(report)
        .append('\n'));
    Path file = Path.of("target", "reliability", "secret-hygiene.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out);
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
