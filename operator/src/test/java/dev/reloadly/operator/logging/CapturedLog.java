package dev.reloadly.operator.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.MDC;

/**
 * A logging context of its own, set up by {@link LogSetup#install} exactly as the operator's,
 * writing into memory instead of stderr.
 */
final class CapturedLog implements AutoCloseable {
  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  CapturedLog(LogFormat format, UnaryOperator<String> redact) {
    // The static MDC (what JOSDK and ReconcileIds write) is the one these events read.
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
    OutputStreamAppender<ILoggingEvent> sink = new OutputStreamAppender<>();
    sink.setOutputStream(bytes);
    LogSetup.install(context, format, sink, redact);
  }

  Logger logger(String name) {
    return context.getLogger(name);
  }

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  List<String> lines() {
    return text().lines().toList();
  }

  @Override
  public void close() {
    context.stop();
  }
}
