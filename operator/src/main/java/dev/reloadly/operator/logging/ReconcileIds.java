package dev.reloadly.operator.logging;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Gives each reconcile a short id in the MDC, so its log lines can be told from those of the
 * reconcile before or after. JOSDK adds the credential's namespace and name itself.
 */
public final class ReconcileIds {
  /** MDC key of the reconcile id. */
  public static final String KEY = "reconcileId";
  /** MDC keys JOSDK sets around a reconcile (io.javaoperatorsdk.operator.processing.MDCUtils). */
  public static final String JOSDK_NAMESPACE = "resource.namespace";
  public static final String JOSDK_NAME = "resource.name";

  private ReconcileIds() {}

  /** Runs {@code reconcile} under a new id; the id before (normally none) is back afterwards. */
  public static <T> T traced(Supplier<T> reconcile) {
    String outer = MDC.get(KEY);
    MDC.put(KEY, next());
    try {
      return reconcile.get();
    } finally {
      if (outer == null) {
        MDC.remove(KEY);
      } else {
        MDC.put(KEY, outer);
      }
    }
  }

  /** Eight lower-case hex digits: unique enough within a day's logs, and no redaction eats hex. */
  static String next() {
    return String.format("%08x", ThreadLocalRandom.current().nextInt());
  }
}
