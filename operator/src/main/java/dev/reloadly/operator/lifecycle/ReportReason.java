package dev.reloadly.operator.lifecycle;

import java.util.Optional;

/**
 * The reason text of a compromise report: free input that ends up in status, Events and the
 * ledger, which are read one line at a time. The CLI refuses a bad one; the operator cleans what
 * arrives through the annotation by other means (kubectl, GitOps).
 */
public final class ReportReason {
  public static final int MAX_CHARS = 1024;

  private ReportReason() {}

  /** Why {@code text} (already stripped) cannot be a reason, or empty when it can. */
  public static Optional<String> problem(String text) {
    if (text.isEmpty()) {
      return Optional.of("is empty: say what happened, e.g. \"secret printed in CI log\"");
    }
    if (text.length() > MAX_CHARS) {
      return Optional.of("is longer than " + MAX_CHARS + " characters");
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("must be one line of text");
    }
    return Optional.empty();
  }

  /**
   * One line of at most {@value #MAX_CHARS} characters: control characters (line breaks, escape
   * sequences) become spaces, surrounding blanks go, and the rest is cut. Null stays null.
   */
  public static String clean(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder line = new StringBuilder(Math.min(value.length(), MAX_CHARS));
    value.codePoints()
        .map(c -> Character.isISOControl(c) ? ' ' : c)
        .forEach(line::appendCodePoint);
    String text = line.toString().strip();
    if (text.length() > MAX_CHARS) {
      int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
      text = text.substring(0, end);
    }
    return text;
  }
}
