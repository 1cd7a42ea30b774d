package dev.reloadly.operator.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.Iterator;
import java.util.function.UnaryOperator;

/**
 * The one way log events reach the operator's output: every appender attached here (by
 * {@link LogSetup}, or in logback-test.xml) gets a {@link RedactedEvent}, never the event itself.
 * Should redaction itself fail, the event's text is withheld rather than written unredacted.
 */
public final class RedactingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {
  private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
  private final UnaryOperator<String> redact;

  /** Redacts with the operator's registry; the constructor logback.xml uses. */
  public RedactingAppender() {
    this(Redactor.global());
  }

  public RedactingAppender(UnaryOperator<String> redact) {
    this.redact = redact;
  }

  @Override
  protected void append(ILoggingEvent event) {
    RedactedEvent view;
    try {
      view = RedactedEvent.of(event, redact);
    } catch (RuntimeException e) {
      view = RedactedEvent.withheld(event, e);
    }
    appenders.appendLoopOnAppenders(view);
  }

  @Override
  public void stop() {
    super.stop();
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    appenders.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return appenders.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return appenders.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return appenders.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return appenders.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return appenders.detachAppender(name);
  }
}
