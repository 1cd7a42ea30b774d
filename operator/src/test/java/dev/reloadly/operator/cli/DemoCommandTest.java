package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `demo` refuses a timeout that could never converge, before starting anything. */
class DemoCommandTest {
  @ParameterizedTest
  @ValueSource(strings = {"-5", "0"})
  void timeoutBelowOneSecondIsRefused(String timeout) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = Main.execute("demo", "--timeout", timeout);
    } finally {
      System.setErr(original);
    }
    String output = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isEqualTo(2);
    assertThat(output.lines().findFirst().orElse(""))
        .isEqualTo("error: --timeout: must be at least 1 second, got " + timeout);
  }
}
