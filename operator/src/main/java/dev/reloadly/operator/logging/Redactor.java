package dev.reloadly.operator.logging;

import java.util.function.UnaryOperator;

/**
 * What the logging layer does to every piece of text of a log event: first the values the
 * operator registered in {@link KnownSecrets}, in every spelling, then {@link SecretPatterns}.
 */
public final class Redactor implements UnaryOperator<String> {
  public static final String REDACTED = "[REDACTED]";

  private static final Redactor GLOBAL = new Redactor(KnownSecrets.global());

  private final KnownSecrets known;

  public Redactor(KnownSecrets known) {
    this.known = known;
  }

  /** The redactor over the operator's own registry. */
  public static Redactor global() {
    return GLOBAL;
  }

  @Override
  public String apply(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return SecretPatterns.redact(known.redact(text, REDACTED));
  }
}
