package dev.reloadly.operator.metrics;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression selects, so alert rules and dashboard queries can be
 * checked against what the operator exports. A tokenizer, not a parser: a name is an identifier
 * that is not a function call, keyword, aggregation or label, outside label matchers, strings,
 * range brackets and Grafana variables ({@code $var}, {@code ${var}}). {@code {__name__="x"}}
 * counts as x.
 */
public final class MetricNames {
  /** Aggregation operators: they may be followed by by/without before their parenthesis. */
  private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group",
      "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk",
      "limit_ratio");
  /** Modifiers followed by a parenthesised list of label names. */
  private static final Set<String> LABEL_LIST_MODIFIERS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "offset", "bool", "atan2", "inf", "nan");

  private final String text;
  private int pos;
  private final Set<String> names = new TreeSet<>();

  private MetricNames(String text) {
    this.text = text;
  }

  /** The metric names {@code promql} selects, sorted. */
  public static Set<String> of(String promql) {
    MetricNames scan = new MetricNames(promql);
    scan.scan();
    return scan.names;
  }

  /**
   * The metric names of a Grafana Prometheus template-variable query: {@code label_values(expr,
   * label)} and {@code query_result(expr)} select those of expr; {@code label_values(label)},
   * {@code label_names()} and {@code metrics(regex)} select none; anything else is PromQL.
   */
  public static Set<String> ofGrafanaVariableQuery(String query) {
    String q = query.strip();
    int open = q.indexOf('(');
    String function = open < 0 ? "" : q.substring(0, open).strip();
    if (!q.endsWith(")") || !Set.of("label_values", "query_result", "label_names", "metrics")
        .contains(function)) {
      return of(q);
    }
    String args = q.substring(open + 1, q.length() - 1);
    return switch (function) {
      case "query_result" -> of(args);
      case "label_values" -> {
        int comma = lastTopLevelComma(args);
        yield comma < 0 ? new TreeSet<>() : of(args.substring(0, comma));
      }
      default -> new TreeSet<>();
    };
  }

  private void scan() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        skipTo('\n');
      } else if (c == '"' || c == '\'' || c == '`') {
        readString();
      } else if (c == '{') {
        readMatchers();
      } else if (c == '[') {
        skipBalanced('[', ']');
      } else if (c == '$') {
        skipGrafanaVariable();
      } else if (isDigit(c) || (c == '.' && pos + 1 < text.length()
          && isDigit(text.charAt(pos + 1)))) {
        skipNumberOrDuration();
      } else if (isIdentifierStart(c)) {
        identifier(readIdentifier());
      } else {
        pos++;
      }
    }
  }

  private void identifier(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (LABEL_LIST_MODIFIERS.contains(lower)) {
      skipWhitespace();
      if (pos < text.length() && text.charAt(pos) == '(') {
        skipBalanced('(', ')');
      }
    } else if (AGGREGATIONS.contains(lower) || KEYWORDS.contains(lower)) {
      // an operator, not a name; an aggregation's own parenthesis is scanned as usual
    } else if (!nextIsOpenParenthesis()) {
      names.add(word);
    }
  }

  /** A label matcher block; only {@code __name__="x"} names a metric. */
  private void readMatchers() {
    pos++;
    String label = null;
    String operator = "";
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '}') {
        pos++;
        return;
      } else if (c == '"' || c == '\'' || c == '`') {
        String value = readString();
        if ("__name__".equals(label) && operator.equals("=")) {
          names.add(value);
        }
        label = null;
        operator = "";
      } else if (isIdentifierStart(c)) {
        label = readIdentifier();
        operator = "";
      } else if (c == '=' || c == '!' || c == '~') {
        operator += c;
        pos++;
      } else {
        pos++;
      }
    }
  }

  /** Reads a quoted string at pos and returns its content (escapes kept only in raw strings). */
  private String readString() {
    char quote = text.charAt(pos++);
    StringBuilder value = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        break;
      }
      if (c == '\\' && quote != '`' && pos < text.length()) {
        c = text.charAt(pos++);
      }
      value.append(c);
    }
    return value.toString();
  }

  private void skipGrafanaVariable() {
    pos++;
    if (pos < text.length() && text.charAt(pos) == '{') {
      skipTo('}');
      pos++;
    } else {
      while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
        pos++;
      }
    }
  }

  /** A number (1, 0.5, 1e-3, 0x1F) or a duration (5m, 1h30m). */
  private void skipNumberOrDuration() {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      boolean exponentSign = (c == '+' || c == '-')
          && text.substring(start, pos).matches("[0-9.]+[eE]");
      if (isIdentifierPart(c) || c == '.' || exponentSign) {
        pos++;
      } else {
        return;
      }
    }
  }

  private String readIdentifier() {
    int start = pos;
    while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private boolean nextIsOpenParenthesis() {
    int i = pos;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i < text.length() && text.charAt(i) == '(';
  }

  private void skipBalanced(char open, char close) {
    int depth = 0;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '"' || c == '\'' || c == '`') {
        readString();
        continue;
      }
      pos++;
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return;
      }
    }
  }

  private void skipWhitespace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private void skipTo(char c) {
    while (pos < text.length() && text.charAt(pos) != c) {
      pos++;
    }
  }

  private static int lastTopLevelComma(String args) {
    int depth = 0;
    int comma = -1;
    char quote = 0;
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote != '`') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        comma = i;
      }
    }
    return comma;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c);
  }
}
