package dev.reloadly.operator.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * Puts the redaction layer and the chosen format in front of the console. Main applies the plain
 * format before any command runs (logback.xml is only a bootstrap), and `run` its own format
 * before its first log line. Levels stay as logback.xml sets them (root from LOG_LEVEL); only the
 * console appender, {@value #CONSOLE} on the root logger, is replaced, always by a
 * {@link RedactingAppender} in front of the console.
 */
public final class LogSetup {
  /** Name of the redacting appender on the root logger, here and in logback.xml. */
  public static final String CONSOLE = "CONSOLE";

  private LogSetup() {}

  /** Writes the operator's log to stderr in {@code format}, redacted with the global registry. */
  public static void apply(LogFormat format) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
      stderr.setName("STDERR");
      stderr.setTarget("System.err");
      install(context, format, stderr, Redactor.global());
    }
  }

  /**
   * Makes {@code sink}, encoding in {@code format} behind a redacting appender, the console
   * appender of {@code context}, and stops the one it replaces.
   */
  public static void install(LoggerContext context, LogFormat format,
      OutputStreamAppender<ILoggingEvent> sink, UnaryOperator<String> redact) {
    Encoder<ILoggingEvent> encoder = format == LogFormat.JSON ? new JsonLineEncoder()
        : new PlainEncoder();
    encoder.setContext(context);
    encoder.start();
    sink.setContext(context);
    sink.setEncoder(encoder);
    sink.start();
    RedactingAppender console = new RedactingAppender(redact);
    console.setName(CONSOLE);
    console.setContext(context);
    console.addAppender(sink);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> previous = root.getAppender(CONSOLE);
    // The new one first: a line logged meanwhile may show twice, but none goes missing.
    root.addAppender(console);
    if (previous != null) {
      root.detachAppender(previous);
      previous.stop();
    }
  }
}
