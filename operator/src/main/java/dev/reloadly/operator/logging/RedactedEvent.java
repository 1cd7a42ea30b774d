package dev.reloadly.operator.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A log event as appenders may see it: message, thread name, MDC values, key-value pairs and
 * every exception message (causes and suppressed included) redacted. The argument array is
 * withheld, since arguments are what the message was formatted from.
 */
final class RedactedEvent implements ILoggingEvent {
  private final ILoggingEvent event;
  private final String message;
  private final String threadName;
  private final Map<String, String> mdc;
  private final List<KeyValuePair> keyValuePairs;
  private final IThrowableProxy throwable;

  private RedactedEvent(ILoggingEvent event, String message, String threadName,
      Map<String, String> mdc, List<KeyValuePair> keyValuePairs, IThrowableProxy throwable) {
    this.event = event;
    this.message = message;
    this.threadName = threadName;
    this.mdc = mdc;
    this.keyValuePairs = keyValuePairs;
    this.throwable = throwable;
  }

  static RedactedEvent of(ILoggingEvent event, UnaryOperator<String> redact) {
    Map<String, String> mdc = new LinkedHashMap<>();
    if (event.getMDCPropertyMap() != null) {
      event.getMDCPropertyMap().forEach((key, value) -> mdc.put(key, redact.apply(value)));
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs() == null ? null
        : event.getKeyValuePairs().stream().map(pair -> new KeyValuePair(pair.key,
            pair.value == null ? null : redact.apply(String.valueOf(pair.value)))).toList();
    return new RedactedEvent(event, redact.apply(event.getFormattedMessage()),
        redact.apply(event.getThreadName()), Collections.unmodifiableMap(mdc), pairs,
        RedactedThrowable.of(event.getThrowableProxy(), redact));
  }

  /**
   * Stands in for an event whose redaction failed: its text could not be cleaned, so none of it
   * is shown. Level, logger, time and thread stay, so the line still says that something happened.
   */
  static RedactedEvent withheld(ILoggingEvent event, RuntimeException failure) {
    return new RedactedEvent(event, "[log message withheld: redaction failed with "
        + failure.getClass().getName() + "]", Thread.currentThread().getName(), Map.of(), null,
        null);
  }

  @Override
  public String getThreadName() {
    return threadName;
  }

  @Override
  public Level getLevel() {
    return event.getLevel();
  }

  @Override
  public String getMessage() {
    return message;
  }

  @Override
  public Object[] getArgumentArray() {
    return null;
  }

  @Override
  public String getFormattedMessage() {
    return message;
  }

  @Override
  public String getLoggerName() {
    return event.getLoggerName();
  }

  @Override
  public LoggerContextVO getLoggerContextVO() {
    return event.getLoggerContextVO();
  }

  @Override
  public IThrowableProxy getThrowableProxy() {
    return throwable;
  }

  @Override
  public StackTraceElement[] getCallerData() {
    return event.getCallerData();
  }

  @Override
  public boolean hasCallerData() {
    return event.hasCallerData();
  }

  @Override
  public List<Marker> getMarkerList() {
    return event.getMarkerList();
  }

  @Override
  public Map<String, String> getMDCPropertyMap() {
    return mdc;
  }

  @Override
  @SuppressWarnings("deprecation")
  public Map<String, String> getMdc() {
    return mdc;
  }

  @Override
  public long getTimeStamp() {
    return event.getTimeStamp();
  }

  @Override
  public int getNanoseconds() {
    return event.getNanoseconds();
  }

  @Override
  public Instant getInstant() {
    return event.getInstant();
  }

  @Override
  public long getSequenceNumber() {
    return event.getSequenceNumber();
  }

  @Override
  public List<KeyValuePair> getKeyValuePairs() {
    return keyValuePairs;
  }

  @Override
  public void prepareForDeferredProcessing() {
    // Everything shown was computed when this view was made.
  }
}
