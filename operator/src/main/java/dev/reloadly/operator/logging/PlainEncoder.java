package dev.reloadly.operator.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.PatternLayoutEncoderBase;

/** The plain format: one line of text per event, then the stack trace if there is one. */
public final class PlainEncoder extends PatternLayoutEncoderBase<ILoggingEvent> {
  public static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread]"
      + " %logger{36}%credential - %msg%keyValues%n";

  public PlainEncoder() {
    setPattern(PATTERN);
  }

  @Override
  public void start() {
    PatternLayout layout = new PatternLayout();
    layout.getInstanceConverterMap().put("credential", CredentialConverter::new);
    layout.getInstanceConverterMap().put("keyValues", KeyValuesConverter::new);
    layout.setContext(context);
    layout.setPattern(getPattern());
    layout.start();
    this.layout = layout;
    super.start();
  }
}
