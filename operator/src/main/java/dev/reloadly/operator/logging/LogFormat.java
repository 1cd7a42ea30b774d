package dev.reloadly.operator.logging;

import java.util.Locale;

/** How log events are written: a line of text, or one JSON object per line. */
public enum LogFormat {
  PLAIN,
  JSON;

  /** plain or json, any case; blank means plain. */
  public static LogFormat parse(String text) {
    if (text == null || text.isBlank()) {
      return PLAIN;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "plain" -> PLAIN;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("'" + text.trim()
          + "' is not one of plain, json");
    };
  }
}
