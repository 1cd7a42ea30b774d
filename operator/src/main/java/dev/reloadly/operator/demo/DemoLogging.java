package dev.reloadly.operator.demo;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the demo's output to its own narration: the embedded API server's per-request log (Java
 * util logging, about 150 lines) and the operator's INFO lines are muted while the demo runs;
 * warnings and errors still show. {@code demo --verbose} leaves both as they are.
 */
final class DemoLogging implements AutoCloseable {
  /** A strong reference: util-logging forgets levels set on loggers nobody holds. */
  static final java.util.logging.Logger API_SERVER =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final boolean quiet;
  private final java.util.logging.Level apiServerBefore;
  private final ch.qos.logback.classic.Logger root;
  private final Level rootBefore;

  private DemoLogging(boolean quiet) {
    this.quiet = quiet;
    apiServerBefore = API_SERVER.getLevel();
    Logger logger = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    root = logger instanceof ch.qos.logback.classic.Logger logback ? logback : null;
    rootBefore = root == null ? null : root.getLevel();
    if (quiet) {
      API_SERVER.setLevel(java.util.logging.Level.WARNING);
      if (root != null) {
        root.setLevel(Level.WARN);
      }
    }
  }

  /** Mutes until closed; with {@code verbose} it changes nothing. */
  static DemoLogging quietUnless(boolean verbose) {
    return new DemoLogging(!verbose);
  }

  @Override
  public void close() {
    if (quiet) {
      API_SERVER.setLevel(apiServerBefore);
      if (root != null) {
        root.setLevel(rootBefore);
      }
    }
  }
}
