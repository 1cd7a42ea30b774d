package dev.reloadly.operator.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * The json format: one object per line with flat fields, as log collectors index them:
 * timestamp (ISO-8601, UTC), level, logger, thread, message, and during a reconcile namespace,
 * name and reconcileId; other MDC entries and key-value pairs under their own keys; an exception
 * as {"class", "message", "stack"}. Logback's own JsonEncoder nests the MDC, writes epoch millis
 * and the unformatted message with its raw arguments, so it is not used.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> FIELDS = Set.of("timestamp", "level", "logger", "thread",
      "message", "namespace", "name", "reconcileId", "exception");

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("timestamp", TIMESTAMP.format(event.getInstant()));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        writeIfPresent(json, "namespace", mdc.get(ReconcileIds.JOSDK_NAMESPACE));
        writeIfPresent(json, "name", mdc.get(ReconcileIds.JOSDK_NAME));
        writeIfPresent(json, "reconcileId", mdc.get(ReconcileIds.KEY));
        for (Map.Entry<String, String> entry : mdc.entrySet()) {
          String key = entry.getKey();
          if (!key.equals(ReconcileIds.JOSDK_NAMESPACE) && !key.equals(ReconcileIds.JOSDK_NAME)
              && !FIELDS.contains(key)) {
            writeIfPresent(json, key, entry.getValue());
          }
        }
      }
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair pair : event.getKeyValuePairs()) {
          String key = FIELDS.contains(pair.key) ? "kv." + pair.key : pair.key;
          writeIfPresent(json, key, pair.value == null ? null : String.valueOf(pair.value));
        }
      }
      IThrowableProxy throwable = event.getThrowableProxy();
      if (throwable != null) {
        json.writeObjectFieldStart("exception");
        json.writeStringField("class", throwable.getClassName());
        writeIfPresent(json, "message", throwable.getMessage());
        json.writeStringField("stack", ThrowableProxyUtil.asString(throwable));
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a log event as JSON", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void writeIfPresent(JsonGenerator json, String field, String value)
      throws IOException {
    if (value != null) {
      json.writeStringField(field, value);
    }
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
