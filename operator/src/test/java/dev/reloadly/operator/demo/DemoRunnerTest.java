package dev.reloadly.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's demo: it converges, rotates, prints a table and never prints a secret. */
class DemoRunnerTest {
  static final Path SAMPLES = Path.of(System.getProperty("project.root", "..")).resolve("samples");

  @Test
  void everySampleIsAppliedByTheDemo() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml")))
          .containsExactlyInAnyOrderElementsOf(DemoRunner.SAMPLES);
    }
  }

  @Test
  void demoConvergesRotatesAndPrintsNoSecret() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<LogRecord> apiServerLog = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        apiServerLog.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    DemoLogging.API_SERVER.addHandler(capture);
    int exit;
    try {
      exit = new DemoRunner(new PrintStream(bytes, true, StandardCharsets.UTF_8),
          Duration.ofSeconds(60)).run();
    } finally {
      DemoLogging.API_SERVER.removeHandler(capture);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);

    // The embedded API server's request log (one INFO line per request) stays out of the way.
    assertThat(apiServerLog).as("embedded API server log").isEmpty();
    assertThat(output).contains("VERSION is the start of the served version's fingerprint")
        .contains("TOKEN ISSUED");
    // After the rotation a new token was minted: both its issue and expiry time moved on.
    Matcher issued = Pattern.compile("token issued +(\\S+) -> (\\S+)").matcher(output);
    Matcher expires = Pattern.compile("token expires +(\\S+) -> (\\S+)").matcher(output);
    assertThat(issued.find()).as(output).isTrue();
    assertThat(expires.find()).as(output).isTrue();
    assertThat(Instant.parse(issued.group(2))).isAfter(Instant.parse(issued.group(1)));
    assertThat(Instant.parse(expires.group(2))).isAfter(Instant.parse(expires.group(1)));

    assertThat(exit).as(output).isZero();
    assertThat(output).containsPattern("consumer +Deployment/checkout restarted once for \\S+"
        + " \\(pod-template annotation security.reloadly.dev/restarted-for\\), then healthy");
    assertThat(output).contains("EMBEDDED Kubernetes API server")
        .contains("CREDENTIAL", "airtime-sandbox", "giftcards-live", "Reconciled")
        .contains("Rotation of airtime-sandbox").contains("current").contains("previous");
    DemoRunner.SAMPLE_CREDENTIALS.forEach((id, secret) ->
        assertThat(output).doesNotContain(secret).doesNotContain(id));
    assertThat(output).doesNotContain("sandbox-demo-client-secret-2").doesNotContain("eyJ");
  }
}
