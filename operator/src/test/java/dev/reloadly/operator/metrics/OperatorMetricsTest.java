package dev.reloadly.operator.metrics;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What /metrics says about a credential, read from the Prometheus text a scrape returns: the
 * instants and counters the alerts use, JOSDK's reconcile meters, the JVM's, and that a deleted
 * credential's series go away.
 */
class OperatorMetricsTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential("client-1", "secret-1");
    harness.start();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aTokenCredentialReportsItsInstantsAndTheOperatorItsRequests() {
    harness.client().resource(sourceSecret("src", "client-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.TOKEN)).create();
    await().atMost(WAIT).until(() -> harness.credential("shop").getStatus() != null
        && harness.credential("shop").getStatus().getTokenExpiresAt() != null);
    ReloadlyCredential shop = harness.credential("shop");
    Instant expires = Instant.parse(shop.getStatus().getTokenExpiresAt());
    Instant nextRotation = Instant.parse(shop.getStatus().getNextRotationAt());

    await().atMost(WAIT).untilAsserted(() -> {
      String text = scrape();
      assertThat(value(text, "reloadly_token_expiration_timestamp_seconds", "shop"))
          .isEqualTo(expires.getEpochSecond());
      assertThat(value(text, "reloadly_credential_next_rotation_timestamp_seconds", "shop"))
          .isEqualTo(nextRotation.getEpochSecond());
    });
    double age = value(scrape(), "reloadly_credential_version_age_seconds", "shop");
    clock.advance(Duration.ofHours(2));
    assertThat(value(scrape(), "reloadly_credential_version_age_seconds", "shop"))
        .as("the age grows with the clock, without a reconcile").isEqualTo(age + 7200);

    String text = scrape();
    assertThat(counter(text, "reloadly_auth_requests_total{result=\"success\"}"))
        .isGreaterThanOrEqualTo(1);
    // Every result exists from the start, so a rate() sees the first rejection.
    assertThat(text).contains("reloadly_auth_requests_total{result=\"rejected\"} 0.0",
        "reloadly_auth_requests_total{result=\"throttled\"} 0.0",
        "reloadly_auth_requests_total{result=\"error\"} 0.0",
        "reloadly_rollouts_total{result=\"completed\"}",
        "reloadly_rollouts_total{result=\"stalled\"} 0.0",
        "reloadly_reconcile_errors_total 0.0");
    assertThat(counter(text, "operator_sdk_reconciliations_success_total"))
        .as("JOSDK's reconcile meters").isGreaterThanOrEqualTo(1);
    assertThat(text).contains("jvm_memory_used_bytes", "process_cpu_usage",
        "reloadly_operator_leader 1.0");
    assertThat(text).as("per type, not per credential")
        .doesNotContainPattern("operator_sdk_[a-z_]+\\{[^}]*name=\"shop\"");
  }

  /**
   * Every name the alert rules and the dashboard may use (metrics/exported-metrics.txt) is in a
   * real scrape, once a credential with a drifting NAT node has been reconciled.
   */
  @Test
  void everyMetricTheAlertsAndDashboardMayUseIsExported() {
    dev.reloadly.operator.testing.NatNodes.create(harness.client(), "nat-1", "10.0.0.5",
        "198.51.100.7");
    harness.client().resource(sourceSecret("src", "client-1", "secret-1")).create();
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.TOKEN);
    dev.reloadly.operator.api.v1alpha1.EgressSpec egress =
        new dev.reloadly.operator.api.v1alpha1.EgressSpec();
    egress.setAllowlistedIPs(java.util.List.of("203.0.113.10/32"));
    credential.getSpec().setEgress(egress);
    harness.client().resource(credential).create();
    System.gc();

    await().atMost(WAIT).untilAsserted(() -> {
      java.util.Set<String> scraped = new java.util.TreeSet<>();
      for (String line : scrape().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          scraped.add(line.split("[{ ]", 2)[0]);
        }
      }
      java.util.Set<String> missing = new java.util.TreeSet<>(ExportedMetrics.names());
      missing.removeAll(scraped);
      assertThat(missing).as("listed in exported-metrics.txt, absent from the scrape").isEmpty();
    });
  }

  @Test
  void aRejectedCredentialIsCountedAsRejected() {
    harness.client().resource(sourceSecret("src", "client-1", "wrong")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.TOKEN)).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(
        counter(scrape(), "reloadly_auth_requests_total{result=\"rejected\"}"))
        .isGreaterThanOrEqualTo(1));
    assertThat(counter(scrape(), "reloadly_auth_requests_total{result=\"success\"}")).isZero();
  }

  @Test
  void aThrottledRequestIsCountedAsThrottled() {
    harness.simulator().rateLimitNext(1, Duration.ofSeconds(1));
    harness.client().resource(sourceSecret("src", "client-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.TOKEN)).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(
        counter(scrape(), "reloadly_auth_requests_total{result=\"throttled\"}")).isEqualTo(1));
    assertThat(counter(scrape(), "reloadly_auth_requests_total{result=\"error\"}"))
        .as("a 429 is not an error").isZero();
  }

  @Test
  void aDeletedCredentialsSeriesDisappear() {
    harness.client().resource(sourceSecret("src", "client-1", "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.TOKEN)).create();
    await().atMost(WAIT).until(() -> scrape().contains(
        "reloadly_token_expiration_timestamp_seconds{credential=\"shop\""));

    harness.client().resource(harness.credential("shop")).delete();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(scrape()).doesNotContain("credential=\"shop\""));
  }

  @Test
  void readyzAnswersOverHttpOnceTheCachesAreFilled() throws Exception {
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    Readiness readiness = new Readiness();
    try (MetricsServer server = MetricsServer.start(registry, 0, readiness)) {
      assertThat(get(server, "/readyz").statusCode()).as("not told how to check yet")
          .isEqualTo(503);
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      readiness.checkWith(() -> harness.runtime().readiness());
      HttpResponse<String> ready = get(server, "/readyz");
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ready, leading\n");
      readiness.checkWith(() -> {
        throw new IllegalStateException("boom");
      });
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
    }
  }

  private static HttpResponse<String> get(MetricsServer server, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String scrape() {
    return ((PrometheusMeterRegistry) harness.runtime().registry()).scrape();
  }

  /** The value of a per-credential series of {@code metric} for credential {@code name}. */
  private static double value(String text, String metric, String name) {
    Matcher m = Pattern.compile("(?m)^" + metric + "\\{credential=\"" + name + "\",namespace=\""
        + NAMESPACE + "\"} (\\S+)$").matcher(text);
    assertThat(m.find()).as(metric + " for " + name + " in:\n" + text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** The sum of every series whose line starts with {@code series} (a name, or name{labels}). */
  private static double counter(String text, String series) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ") || (!series.contains("{") && line.startsWith(series + "{"))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    assertThat(found).as(series + " in the scrape").isTrue();
    return sum;
  }
}
