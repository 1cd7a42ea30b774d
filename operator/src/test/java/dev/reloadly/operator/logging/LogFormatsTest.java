package dev.reloadly.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The two formats: what a line holds, with and without a reconcile and an exception. */
class LogFormatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  @Test
  void jsonIsOneObjectPerLineWithFlatFields() throws IOException {
    List<String> lines;
    Instant before = Instant.now();
    try (CapturedLog log = new CapturedLog(LogFormat.JSON, UnaryOperator.identity())) {
      Logger logger = log.logger("dev.reloadly.operator.reconciler.Example");
      logger.info("outside a reconcile");
      duringReconcile("payments", "shop", () -> {
        logger.debug("inside {}", "a reconcile");
        RuntimeException failure = new IllegalStateException("outer\nsecond line",
            new IllegalArgumentException("the cause"));
        failure.addSuppressed(new UnsupportedOperationException("suppressed one"));
        logger.error("failed", failure);
      });
      lines = log.lines();
    }

    assertThat(lines).hasSize(3);
    JsonNode outside = JSON.readTree(lines.get(0));
    assertThat(fieldNames(outside)).containsExactly("timestamp", "level", "logger", "thread",
        "message");
    assertThat(outside.get("level").asText()).isEqualTo("INFO");
    assertThat(outside.get("logger").asText())
        .isEqualTo("dev.reloadly.operator.reconciler.Example");
    assertThat(outside.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(outside.get("message").asText()).isEqualTo("outside a reconcile");
    String timestamp = outside.get("timestamp").asText();
    assertThat(timestamp).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(Instant.parse(timestamp)).isBetween(before.minusMillis(1), Instant.now());

    JsonNode inside = JSON.readTree(lines.get(1));
    assertThat(inside.get("message").asText()).isEqualTo("inside a reconcile");
    assertThat(inside.get("level").asText()).isEqualTo("DEBUG");
    assertThat(inside.get("namespace").asText()).isEqualTo("payments");
    assertThat(inside.get("name").asText()).isEqualTo("shop");
    assertThat(inside.get("reconcileId").asText()).matches("[0-9a-f]{8}");
    assertThat(inside.has("resource.name")).as("mapped, not repeated").isFalse();
    assertThat(inside.get("resource.kind").asText()).isEqualTo("ReloadlyCredential");

    JsonNode failed = JSON.readTree(lines.get(2));
    assertThat(failed.get("reconcileId")).isEqualTo(inside.get("reconcileId"));
    JsonNode exception = failed.get("exception");
    assertThat(exception.get("class").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(exception.get("message").asText()).isEqualTo("outer\nsecond line");
    assertThat(exception.get("stack").asText())
        .startsWith("java.lang.IllegalStateException: outer\nsecond line\n\tat ")
        .contains("Suppressed: java.lang.UnsupportedOperationException: suppressed one")
        .contains("Caused by: java.lang.IllegalArgumentException: the cause")
        .contains("at dev.reloadly.operator.logging.LogFormatsTest");
  }

  @Test
  void jsonKeepsKeyValuePairsAndOtherMdcEntriesFlat() throws IOException {
    String line;
    try (CapturedLog log = new CapturedLog(LogFormat.JSON, UnaryOperator.identity())) {
      MDC.put("leader", "replica-1");
      log.logger("x").atWarn().addKeyValue("workload", "Deployment/api")
          .addKeyValue("message", "clash").log("evicting");
      line = log.lines().get(0);
    }
    JsonNode json = JSON.readTree(line);
    assertThat(json.get("leader").asText()).isEqualTo("replica-1");
    assertThat(json.get("workload").asText()).isEqualTo("Deployment/api");
    assertThat(json.get("message").asText()).isEqualTo("evicting");
    assertThat(json.get("kv.message").asText()).isEqualTo("clash");
  }

  @Test
  void plainIsTodaysLineWithTheCredentialDuringAReconcile() {
    List<String> lines;
    try (CapturedLog log = new CapturedLog(LogFormat.PLAIN, UnaryOperator.identity())) {
      Logger logger = log.logger("dev.reloadly.operator.reconciler.Example");
      logger.info("outside a reconcile");
      duringReconcile("payments", "shop", () -> logger.warn("inside a reconcile",
          new IllegalStateException("boom")));
      lines = log.lines();
    }
    assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"
        + "(Z|[+-]\\d\\d:\\d\\d) INFO  \\[.+\\] d\\.r\\.operator\\.reconciler\\.Example"
        + " - outside a reconcile");
    assertThat(lines.get(1)).matches(".* WARN  \\[.+\\] d\\.r\\.operator\\.reconciler\\.Example"
        + " \\[payments/shop #[0-9a-f]{8}\\] - inside a reconcile");
    assertThat(lines.get(2)).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(lines.get(3)).startsWith("\tat dev.reloadly.operator.logging.LogFormatsTest");
  }

  @Test
  void aFailedRedactionWithholdsTheEventsTextInsteadOfWritingIt() throws IOException {
    String line;
    try (CapturedLog log = new CapturedLog(LogFormat.JSON, text -> {
      throw new IllegalStateException("redactor bug");
    })) {
      MDC.put("detail", "CANARY-mdc-value");
      log.logger("x").error("CANARY-message", new RuntimeException("CANARY-exception"));
      line = log.text();
    }
    assertThat(line).doesNotContain("CANARY");
    JsonNode json = JSON.readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("ERROR");
    assertThat(json.get("message").asText())
        .isEqualTo("[log message withheld: redaction failed with java.lang.IllegalStateException]");
  }

  @Test
  void eachReconcileHasItsOwnIdWhichGoesWithIt() {
    String[] seen = new String[2];
    ReconcileIds.traced(() -> seen[0] = MDC.get(ReconcileIds.KEY));
    ReconcileIds.traced(() -> seen[1] = MDC.get(ReconcileIds.KEY));
    assertThat(seen[0]).matches("[0-9a-f]{8}").isNotEqualTo(seen[1]);
    assertThat(MDC.get(ReconcileIds.KEY)).isNull();

    try {
      ReconcileIds.traced(() -> {
        throw new IllegalStateException("reconcile failed");
      });
    } catch (IllegalStateException expected) {
      // the id goes with a failed reconcile, too
    }
    assertThat(MDC.get(ReconcileIds.KEY)).isNull();
  }

  /** As JOSDK runs a reconcile: its MDC entries around the reconciler's ReconcileIds.traced. */
  private static void duringReconcile(String namespace, String name, Runnable body) {
    MDC.put("resource.kind", "ReloadlyCredential");
    MDC.put(ReconcileIds.JOSDK_NAMESPACE, namespace);
    MDC.put(ReconcileIds.JOSDK_NAME, name);
    try {
      ReconcileIds.traced(() -> {
        body.run();
        return null;
      });
    } finally {
      MDC.remove("resource.kind");
      MDC.remove(ReconcileIds.JOSDK_NAMESPACE);
      MDC.remove(ReconcileIds.JOSDK_NAME);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
