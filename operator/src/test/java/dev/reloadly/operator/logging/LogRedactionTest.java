package dev.reloadly.operator.logging;

import static dev.reloadly.operator.logging.LogCanaries.assertNoCanary;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MDC;

/**
 * Every canary, in every spelling, goes through every way code can hand text to a logger, in
 * both formats; not one spelling may come out.
 */
class LogRedactionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One way of logging {@code text}. */
  enum Style {
    IN_MESSAGE((log, text) -> log.info("canary check: " + text)),
    AS_ARGUMENT((log, text) -> log.info("canary check: {} and {}", text,
        LogCanaries.CLIENT_SECRET.toCharArray())),
    IN_MDC((log, text) -> {
      MDC.put(ReconcileIds.JOSDK_NAME, text);
      MDC.put(ReconcileIds.JOSDK_NAMESPACE, text);
      MDC.put(ReconcileIds.KEY, text);
      MDC.put("detail", text);
      log.info("canary check");
    }),
    AS_KEY_VALUE((log, text) -> log.atInfo().addKeyValue("detail", text)
        .log("canary check")),
    IN_EXCEPTION_MESSAGE((log, text) -> log.warn("canary check",
        new IllegalStateException(text))),
    IN_CAUSE_MESSAGE((log, text) -> log.warn("canary check",
        new RuntimeException("wrapped", new IOException(text)))),
    IN_SUPPRESSED((log, text) -> {
      RuntimeException failure = new RuntimeException("with suppressed");
      failure.addSuppressed(new IllegalArgumentException(text));
      log.error("canary check", failure);
    }),
    STACK_TRACE_AT_WARN((log, text) -> log.warn("canary check {}", text, thrown(text))),
    STACK_TRACE_AT_ERROR((log, text) -> log.error("canary check {}", text, thrown(text))),
    IN_THREAD_NAME((log, text) -> {
      Thread thread = new Thread(() -> log.info("canary check"), "worker " + text);
      thread.start();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    final BiConsumer<Logger, String> logs;

    Style(BiConsumer<Logger, String> logs) {
      this.logs = logs;
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (LogFormat format : LogFormat.values()) {
      for (Style style : Style.values()) {
        cases.add(Arguments.of(format, style));
      }
    }
    return cases.stream();
  }

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void noCanaryReachesTheOutput(LogFormat format, Style style) {
    String output;
    try (CapturedLog log = new CapturedLog(format, new Redactor(LogCanaries.registered()))) {
      style.logs.accept(log.logger("dev.reloadly.operator.Canary"), LogCanaries.payload());
      output = log.text();
    }

    assertThat(output).as("the event was written, redacted").contains("canary check")
        .contains(Redactor.REDACTED);
    assertNoCanary(output);
    if (format == LogFormat.JSON) {
      // JSON escapes line breaks; look at the values as a reader of the JSON sees them, too.
      assertNoCanary(String.join("\n", values(output)));
    }
  }

  /** Every string value of every JSON line. */
  static List<String> values(String output) {
    List<String> values = new ArrayList<>();
    output.lines().forEach(line -> {
      try {
        collect(JSON.readTree(line), values);
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON line: " + line, e);
      }
    });
    return values;
  }

  private static void collect(JsonNode node, List<String> values) {
    if (node.isTextual()) {
      values.add(node.asText());
    }
    node.forEach(child -> collect(child, values));
  }

  /** An exception with a real stack (three frames of ours) and a cause that has the text too. */
  private static RuntimeException thrown(String text) {
    try {
      deeper(text, 3);
      throw new AssertionError("unreachable");
    } catch (IllegalStateException e) {
      return e;
    }
  }

  private static void deeper(String text, int depth) {
    if (depth == 0) {
      throw new IllegalStateException("request failed: " + text,
          new UncheckedIOException(new IOException("body was " + text)));
    }
    deeper(text, depth - 1);
  }
}
