package dev.reloadly.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricNamesTest {
  static Stream<Arguments> expressions() {
    return Stream.of(
        Arguments.of("up", names("up")),
        Arguments.of("rate(http_requests_total{job=\"api\", handler=~\"/a|b\"}[5m])",
            names("http_requests_total")),
        Arguments.of("sum by (namespace, credential) (x) / on (namespace) group_left (team) y",
            names("x", "y")),
        Arguments.of("sum by(ns)(x)", names("x")),
        Arguments.of("sum(x) without (instance, pod)", names("x")),
        Arguments.of("x * ignoring(a) group_right y", names("x", "y")),
        Arguments.of("x * on (a) group_left y", names("x", "y")),
        Arguments.of("x offset 5m", names("x")),
        Arguments.of("x offset -1h30m", names("x")),
        Arguments.of("x[5m] offset 1d", names("x")),
        Arguments.of("max_over_time(x[1d])", names("x")),
        Arguments.of("rate(x[5m:1m])", names("x")),
        Arguments.of("x @ 1609746000", names("x")),
        Arguments.of("x @ start()", names("x")),
        Arguments.of("label_replace(x, \"dst\", \"$1\", \"src\", \"(.*)\")", names("x")),
        Arguments.of("label_replace(x, `dst`, `$1`, `src y`, `(.*)`)", names("x")),
        Arguments.of("x{a=\"b\\\"c y\", d='e f'}", names("x")),
        Arguments.of("{__name__=\"x\", job=\"a\"}", names("x")),
        Arguments.of("{__name__=~\"x.*\"}", names()),
        Arguments.of("x > bool 0", names("x")),
        Arguments.of("x and on (a) y unless ignoring (b) z or w", names("w", "x", "y", "z")),
        Arguments.of("X AND Y", names("X", "Y")),
        Arguments.of("count_values(\"version\", build_info)", names("build_info")),
        Arguments.of("topk(5, x)", names("x")),
        Arguments.of("quantile(0.9, x)", names("x")),
        Arguments.of("histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))",
            names("x_bucket")),
        Arguments.of("1e-3 * x + 0x1F + Inf - NaN + .5 + 2E+2", names("x")),
        Arguments.of("job:x:rate5m > 0", names("job:x:rate5m")),
        Arguments.of("time() - x", names("x")),
        Arguments.of("absent(x) or max(y) == 0", names("x", "y")),
        Arguments.of("vector(0)", names()),
        Arguments.of("x # a comment naming y\n + z", names("x", "z")),
        Arguments.of("atan2(x, y)", names("x", "y")),
        Arguments.of("x atan2 y", names("x", "y")),
        Arguments.of("rate(x{namespace=~\"$namespace\"}[$__rate_interval])", names("x")),
        Arguments.of("sum(rate(x[${__interval}])) by (le) / ${scale} * $factor", names("x")),
        Arguments.of("sum by (result) (rate(x[[__rate_interval]]))", names("x")),
        Arguments.of("(max by (namespace, credential) (x) - time()) < 86400"
            + " unless on (namespace, credential) max_over_time(y:z[1d]) <= 90000",
            names("x", "y:z")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressions")
  void findsTheSelectedMetricsOnly(String promql, String[] expected) {
    assertThat(MetricNames.of(promql)).containsExactlyInAnyOrder(expected);
  }

  @Test
  void grafanaLabelValuesQueriesSelectTheMetricsOfTheirExpression() {
    assertThat(MetricNames.ofGrafanaVariableQuery(
        "label_values(reloadly_credential_ready{namespace=~\"$namespace\"}, credential)"))
        .containsExactly("reloadly_credential_ready");
    assertThat(MetricNames.ofGrafanaVariableQuery("label_values(x{a=\"b,c\"}, d)"))
        .containsExactly("x");
    assertThat(MetricNames.ofGrafanaVariableQuery("label_values(namespace)")).isEmpty();
    assertThat(MetricNames.ofGrafanaVariableQuery("label_names()")).isEmpty();
    assertThat(MetricNames.ofGrafanaVariableQuery("metrics(reloadly_.*)")).isEmpty();
    assertThat(MetricNames.ofGrafanaVariableQuery("query_result(max by (ns) (x) > 0)"))
        .containsExactly("x");
    assertThat(MetricNames.ofGrafanaVariableQuery("up{job=\"a\"}")).containsExactly("up");
  }

  private static String[] names(String... names) {
    return Arrays.copyOf(names, names.length);
  }
}
