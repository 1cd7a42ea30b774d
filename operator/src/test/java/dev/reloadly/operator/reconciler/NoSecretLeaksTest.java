package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.simulator.SimulatedToken;
import dev.reloadly.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Canary values go through every path (valid, rejected, rotated, compromised) and must appear in
 * no log line (our code at DEBUG), no Event, no status.
 */
class NoSecretLeaksTest {
  static final String ID = "CANARY-id-91c3";
  static final String SECRET = "CANARY-s3cr3t-7f1e";
  static final String ROTATED = "CANARY-s3cr3t-rotated-22aa";
  static final String WRONG = "CANARY-s3cr3t-wrong-0b0b";

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger ours;
  private Level previous;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    ours = (Logger) LoggerFactory.getLogger("dev.reloadly");
    previous = ours.getLevel();
    ours.setLevel(Level.DEBUG);
    harness = new OperatorHarness(Clock.systemUTC());
    harness.simulator().allowCredential(ID, SECRET);
    harness.start();
  }

  @AfterEach
  void stop() {
    harness.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    ours.setLevel(previous);
  }

  @Test
  void canariesAppearInNoLogEventOrStatus() {
    harness.client().resource(sourceSecret("src", ID, SECRET)).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getStatus)
            .contains("True"));

    source(WRONG);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.CREDENTIAL_VALID))
            .map(Condition::getReason).contains(Conditions.INVALID_CREDENTIALS));

    harness.simulator().rotateCredential(ID, ROTATED);
    source(ROTATED);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.CREDENTIAL_VALID))
            .map(Condition::getReason).contains(Conditions.VALID));

    harness.client().resources(ReloadlyCredential.class).inNamespace("payments").withName("shop")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
            + ApiLabels.COMPROMISED + "\":\"canary drill\"}}}");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(harness.condition("shop", Conditions.CREDENTIAL_COMPROMISED))
            .map(Condition::getStatus).contains("True"));

    List<String> canaries = new ArrayList<>(List.of(ID, SECRET, ROTATED, WRONG));
    harness.simulator().issuedTokens().stream().map(SimulatedToken::accessToken)
        .forEach(canaries::add);
    canaries.addAll(canaries.stream().map(c -> b64(c)).toList());
    assertThat(harness.simulator().issuedTokens()).hasSizeGreaterThanOrEqualTo(2);

    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : logs.list) {
      lines.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    assertThat(lines).as("log lines captured").isNotEmpty();
    harness.client().v1().events().inNamespace("payments").list().getItems()
        .forEach(e -> lines.add(e.getMessage()));
    lines.add(harness.client().getKubernetesSerialization().asYaml(harness.credential("shop")));
    for (String canary : canaries) {
      assertThat(lines).noneMatch(line -> line != null && line.contains(canary));
    }
  }

  private void source(String secret) {
    harness.client().resource(new SecretBuilder(harness.secret("src"))
        .withData(Map.of("client_id", b64(ID), "client_secret", b64(secret))).build()).update();
  }
}
