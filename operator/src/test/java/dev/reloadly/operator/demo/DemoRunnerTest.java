package dev.reloadly.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    int exit = new DemoRunner(new PrintStream(bytes, true, StandardCharsets.UTF_8),
        Duration.ofSeconds(60)).run();
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(exit).as(output).isZero();
    assertThat(output).contains("EMBEDDED Kubernetes API server")
        .contains("CREDENTIAL", "airtime-sandbox", "giftcards-live", "Reconciled")
        .contains("Rotation of airtime-sandbox").contains("current").contains("previous");
    DemoRunner.SAMPLE_CREDENTIALS.forEach((id, secret) ->
        assertThat(output).doesNotContain(secret).doesNotContain(id));
    assertThat(output).doesNotContain("sandbox-demo-client-secret-2").doesNotContain("eyJ");
  }
}
