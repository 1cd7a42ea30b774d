package dev.reloadly.operator.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An exception as a log line shows it, with its message redacted, and so the messages of its
 * cause and suppressed exceptions, however deep. Class names and stack frames are code, not data,
 * and stay as they are.
 */
final class RedactedThrowable implements IThrowableProxy {
  private static final IThrowableProxy[] NONE = new IThrowableProxy[0];

  private final IThrowableProxy proxy;
  private final String message;
  private IThrowableProxy cause;
  private IThrowableProxy[] suppressed = NONE;

  private RedactedThrowable(IThrowableProxy proxy, String message) {
    this.proxy = proxy;
    this.message = message;
  }

  static IThrowableProxy of(IThrowableProxy proxy, UnaryOperator<String> redact) {
    return proxy == null ? null : of(proxy, redact, new IdentityHashMap<>());
  }

  /** {@code seen} keeps a cycle of causes from recursing for ever. */
  private static IThrowableProxy of(IThrowableProxy proxy, UnaryOperator<String> redact,
      Map<IThrowableProxy, RedactedThrowable> seen) {
    RedactedThrowable known = seen.get(proxy);
    if (known != null) {
      return known;
    }
    RedactedThrowable view = new RedactedThrowable(proxy, redact.apply(proxy.getMessage()));
    seen.put(proxy, view);
    if (proxy.getCause() != null) {
      view.cause = of(proxy.getCause(), redact, seen);
    }
    IThrowableProxy[] original = proxy.getSuppressed();
    if (original != null && original.length > 0) {
      IThrowableProxy[] views = new IThrowableProxy[original.length];
      for (int i = 0; i < original.length; i++) {
        views[i] = of(original[i], redact, seen);
      }
      view.suppressed = views;
    }
    return view;
  }

  @Override
  public String getMessage() {
    return message;
  }

  @Override
  public String getClassName() {
    return proxy.getClassName();
  }

  @Override
  public StackTraceElementProxy[] getStackTraceElementProxyArray() {
    return proxy.getStackTraceElementProxyArray();
  }

  @Override
  public int getCommonFrames() {
    return proxy.getCommonFrames();
  }

  @Override
  public IThrowableProxy getCause() {
    return cause;
  }

  @Override
  public IThrowableProxy[] getSuppressed() {
    return suppressed;
  }

  @Override
  public boolean isCyclic() {
    return proxy.isCyclic();
  }
}
