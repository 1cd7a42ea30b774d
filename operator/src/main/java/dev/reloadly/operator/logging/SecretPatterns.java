package dev.reloadly.operator.logging;

import java.util.List;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts text that looks like a credential whether or not the operator knows the value: JWTs,
 * bearer tokens, Authorization headers, secret-named fields, PEM private keys and long random
 * base64. Identifiers the operator logs on purpose stay readable: resource versions, UIDs,
 * {@code hmac-sha256:} fingerprints and key ids are hex or decimal, never mixed-case base64.
 */
final class SecretPatterns {
  static final String REDACTED = Redactor.REDACTED;

  /** Random base64 this long or longer is taken for key material (24 bytes and up). */
  static final int BLOB_MIN_LENGTH = 32;
  /**
   * Share of neighbouring characters that change class (upper, lower, digit, symbol). About 0.64
   * for random base64; about 0.2 for CamelCase or kebab-case names like Java classes and threads.
   */
  static final double BLOB_MIN_SWITCHES = 0.35;

  private static final String QUOTED_VALUE =
      // \"…\" (JSON inside a string), "…", '…', or a bare word. An earlier redaction, and
      // a placeholder such as TokenResult's "<redacted 812 chars>", are kept.
      "(?:(\\\\\")((?:[^\"\\\\]|\\\\[^\"])*)\\\\\"|(\")((?:[^\"\\\\]|\\\\.)*)\"|(')([^']*)'"
          + "|(?!\\[?REDACTED\\]|<redacted)()([^\\s&,;\"'}\\]]+))";

  /** Keys whose value is secret after '=' or ':', e.g. client_secret=…, "accessToken": "…". */
  private static final Pattern SECRET_FIELD = Pattern.compile(
      "(?i)((?:\\\\?[\"'])?\\b(?:client[_-]?secret|access[_-]?token|refresh[_-]?token|id[_-]?token"
          + "|password|passwd|api[_-]?key|private[_-]?key|secret[_-]?key)\\b(?:\\\\?[\"'])?"
          + "\\s*[:=]\\s*)" + QUOTED_VALUE);

  /** Short, common keys only in the forms code writes them: token=…, "secret":"…". */
  private static final Pattern SHORT_SECRET_FIELD = Pattern.compile(
      "(?i)((?:\\b(?:token|secret)=)|(?:\\\\?\"(?:token|secret)\\\\?\"\\s*:\\s*))"
          + QUOTED_VALUE);

  /** The value of an Authorization header, scheme included: "Authorization: Basic …". */
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "(?i)(\\b(?:proxy-)?authorization\\b(?:\\\\?[\"'])?\\s*[:=]\\s*(?:\\\\?[\"'\\[])?)"
          + "(?!\\[?REDACTED\\])((?:[A-Za-z-]+\\s+)?(?:\\[REDACTED\\]|[^\\s\"',;}\\]]+))");

  private static final Pattern BEARER =
      Pattern.compile("(?i)(\\bbearer\\s+)([A-Za-z0-9._~+/-]{16,}=*)");

  /** Header and payload of a JWT (JWS or JWE) start with base64url of '{"'. */
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}(?:\\.[A-Za-z0-9_-]*)*");

  /** A PEM private key block, also URL-encoded or cut short (no END line). */
  private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
      "-----BEGIN(?:[ +]|%20)(?:[A-Z0-9]+(?:[ +]|%20))*PRIVATE(?:[ +]|%20)KEY[A-Z +%0-9]*-----"
          + "[\\s\\S]*?(?:-----END(?:[ +]|%20)(?:[A-Z0-9]+(?:[ +]|%20))*PRIVATE(?:[ +]|%20)KEY"
          + "[A-Z +%0-9]*-----|$)");

  private record Rule(Pattern pattern, Function<MatchResult, String> replacement) {}

  // Order matters: a whole PEM block or header goes before the token inside it is looked at.
  private static final List<Rule> RULES = List.of(
      new Rule(PEM_PRIVATE_KEY, m -> REDACTED),
      new Rule(AUTHORIZATION, m -> m.group(1) + REDACTED),
      new Rule(SECRET_FIELD, SecretPatterns::keepKeyAndQuotes),
      new Rule(SHORT_SECRET_FIELD, SecretPatterns::keepKeyAndQuotes),
      new Rule(JWT, m -> REDACTED),
      new Rule(BEARER, m -> m.group(1) + REDACTED));

  private SecretPatterns() {}

  /** {@code text} with every match replaced by {@value Redactor#REDACTED}. */
  static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (Rule rule : RULES) {
      Matcher matcher = rule.pattern().matcher(result);
      if (matcher.find()) {
        matcher.reset();
        result = matcher.replaceAll(m -> Matcher.quoteReplacement(rule.replacement().apply(m)));
      }
    }
    return redactBlobs(result);
  }

  /** Groups: 1 key and separator, then (open quote, value) pairs of which one matched. */
  private static String keepKeyAndQuotes(MatchResult m) {
    for (int open = 2; open <= 8; open += 2) {
      if (m.group(open + 1) != null) {
        String quote = m.group(open);
        String close = quote.equals("\\\"") ? "\\\"" : quote;
        return m.group(1) + quote + REDACTED + close;
      }
    }
    return m.group(0);
  }

  /** Replaces runs of base64 characters that look random rather than like words or hex. */
  static String redactBlobs(String text) {
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      if (!isBase64(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && isBase64(text.charAt(i))) {
        i++;
      }
      int end = i;
      while (end < n && text.charAt(end) == '=') {
        end++;
      }
      if (i - start >= BLOB_MIN_LENGTH && looksRandom(text, start, i)) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(text, copied, start).append(REDACTED);
        copied = end;
      }
      i = end;
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  private static boolean looksRandom(String text, int start, int end) {
    boolean upper = false;
    boolean lower = false;
    int switches = 0;
    int previous = kind(text.charAt(start));
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      upper |= Character.isUpperCase(c);
      lower |= Character.isLowerCase(c);
      int kind = kind(c);
      if (kind != previous) {
        switches++;
      }
      previous = kind;
    }
    // Hex (fingerprints, key ids, UIDs) is single-case; words switch class rarely.
    return upper && lower && switches >= BLOB_MIN_SWITCHES * (end - start - 1);
  }

  private static int kind(char c) {
    if (c >= 'A' && c <= 'Z') {
      return 0;
    }
    if (c >= 'a' && c <= 'z') {
      return 1;
    }
    if (c >= '0' && c <= '9') {
      return 2;
    }
    return 3;
  }

  private static boolean isBase64(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
        || c == '+' || c == '/' || c == '-' || c == '_';
  }
}
