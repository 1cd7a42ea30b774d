package dev.reloadly.operator.logging;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.simulator.SimulatedToken;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenResult;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real operator reconciles with JSON logs at DEBUG while careless code in the reconcile path
 * logs the client ID, secret and token in every way it can: every line of a reconcile names the
 * credential and the reconcile, and no canary comes out.
 */
class ReconcileLogsTest {
  static final String ID = "CANARY-reconcile-client-Hq3Zt9";
  static final String SECRET = "CANARY/reconcile+s3cr3t=Wk2&pL";
  static final String ROTATED = "CANARY/rotated+s3cr3t=Jd7&qX";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void reconcileLinesNameTheCredentialAndTheReconcileAndHoldNoCanary() throws IOException {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger ours = context.getLogger("dev.reloadly");
    Level before = ours.getLevel();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> sink = new OutputStreamAppender<>();
    sink.setOutputStream(captured);
    LogSetup.install(context, LogFormat.JSON, sink, Redactor.global());
    ours.setLevel(Level.DEBUG);
    List<String> canaries = new ArrayList<>(List.of(ID, SECRET, ROTATED));
    try (OperatorHarness harness = new OperatorHarness(Clock.systemUTC())
        .wrapTokenClient(CarelessTokenClient::new)) {
      harness.simulator().allowCredential(ID, SECRET);
      harness.start();
      harness.client().resource(sourceSecret("src", ID, SECRET)).create();
      harness.client().resource(secretRefCredential("shop", "src", TargetMode.BOTH)).create();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getStatus)
              .contains("True"));
      new CredentialSteps(harness, "shop", "src", ID, Duration.ofSeconds(30)).rotate(ROTATED);
      harness.simulator().issuedTokens().stream().map(SimulatedToken::accessToken)
          .forEach(canaries::add);
    } finally {
      ours.setLevel(before);
      LogSetup.apply(LogFormat.PLAIN);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(canaries).as("tokens issued").hasSizeGreaterThanOrEqualTo(5);

    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    List<JsonNode> careless = lines.stream()
        .filter(l -> l.get("logger").asText().equals(CarelessTokenClient.LOG.getName())).toList();
    List<JsonNode> issued = lines.stream()
        .filter(l -> l.get("logger").asText().equals(HttpReloadlyTokenClient.class.getName())
            && l.get("message").asText().startsWith("Reloadly issued a token")).toList();
    assertThat(careless).as("careless lines").isNotEmpty();
    assertThat(issued).as("token client lines").isNotEmpty();
    for (JsonNode line : concat(careless, issued)) {
      assertThat(line.path("namespace").asText()).as(line.toString()).isEqualTo(NAMESPACE);
      assertThat(line.path("name").asText()).as(line.toString()).isEqualTo("shop");
      assertThat(line.path("reconcileId").asText()).as(line.toString()).matches("[0-9a-f]{8}");
    }
    Set<String> reconciles = careless.stream().map(l -> l.get("reconcileId").asText())
        .collect(Collectors.toSet());
    assertThat(reconciles).as("reconciles that asked for a token").hasSizeGreaterThanOrEqualTo(2);
    assertThat(careless).allSatisfy(line -> assertThat(line.toString())
        .contains(Redactor.REDACTED));

    List<String> values = LogRedactionTest.values(output);
    for (String canary : canaries) {
      for (var spelling : LogCanaries.spellings(canary).entrySet()) {
        assertThat(output).as("%s of %s", spelling.getKey(), canary)
            .doesNotContain(spelling.getValue());
        assertThat(values).as("%s of %s", spelling.getKey(), canary)
            .noneMatch(value -> value.contains(spelling.getValue()));
      }
    }
  }

  private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
    List<JsonNode> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Code in the reconcile path that logs what it must not, in every way it could. */
  static final class CarelessTokenClient implements ReloadlyTokenClient {
    static final Logger LOG = LoggerFactory.getLogger("dev.reloadly.operator.CarelessCode");
    private final ReloadlyTokenClient delegate;

    CarelessTokenClient(ReloadlyTokenClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public TokenResult requestToken(char[] clientId, char[] clientSecret, String audience) {
      String id = new String(clientId);
      String secret = new String(clientSecret);
      // Before the token client has seen them: the source reader registered them.
      LOG.debug("asking Reloadly as {} with {} ({})", id, secret, clientSecret);
      LOG.debug("body client_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8)
          + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8));
      TokenResult result = delegate.requestToken(clientId, clientSecret, audience);
      if (result instanceof TokenResult.Issued issued) {
        String token = new String(issued.accessToken());
        LOG.info("got {} for {}", token, Base64.getEncoder().encodeToString(
            secret.getBytes(StandardCharsets.UTF_8)));
        LOG.warn("token in base64 " + Base64.getEncoder().encodeToString(
            token.getBytes(StandardCharsets.UTF_8)), new IllegalStateException(
                "Authorization: Bearer " + token, new RuntimeException("secret was " + secret)));
      }
      return result;
    }
  }
}
