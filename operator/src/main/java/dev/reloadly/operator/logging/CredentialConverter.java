package dev.reloadly.operator.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * {@code %credential}: " [namespace/name #reconcileId]" while a ReloadlyCredential is being
 * reconciled, nothing otherwise.
 */
public final class CredentialConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc == null || mdc.isEmpty()) {
      return "";
    }
    String name = mdc.get(ReconcileIds.JOSDK_NAME);
    String id = mdc.get(ReconcileIds.KEY);
    if (name == null && id == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(" [");
    if (name != null) {
      String namespace = mdc.get(ReconcileIds.JOSDK_NAMESPACE);
      out.append(namespace == null ? "" : namespace + "/").append(name);
    }
    if (id != null) {
      out.append(name == null ? "#" : " #").append(id);
    }
    return out.append(']').toString();
  }
}
