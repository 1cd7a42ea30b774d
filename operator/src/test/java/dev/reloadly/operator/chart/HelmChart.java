package dev.reloadly.operator.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart charts/reloadly-credential-operator, rendered and linted by the real Helm (helm-java
 * loads Helm's Go code as a native library; no helm binary needed), as release
 * reloadly-credential-operator in namespace reloadly-system, the names deploy/ assumes. Values
 * are YAML text, as a user writes them in a values file.
 */
final class HelmChart {
  static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  static final Path DIR = ROOT.resolve("charts/reloadly-credential-operator");
  static final String RELEASE = "reloadly-credential-operator";
  static final String NAMESPACE = "reloadly-system";
  /** Without a cluster to ask, helm-java's Helm assumes Kubernetes 1.20, below kubeVersion. */
  static final String KUBE_VERSION = "1.31.0";

  private static final YAMLMapper YAML = new YAMLMapper();

  private final Path work;

  /** {@code work}: an empty directory for values files and chart copies. */
  HelmChart(Path work) {
    this.work = work;
  }

  /** {@code helm template}, every object read strictly (StrictManifests). */
  Rendered template(String values) {
    return template(NAMESPACE, values);
  }

  Rendered template(String namespace, String values) {
    return new Rendered(StrictManifests.parse(render(DIR, namespace, values)));
  }

  /** The error {@code helm template} stops with; fails when it renders. */
  String templateFailure(String values) {
    String[] message = new String[1];
    assertThatThrownBy(() -> render(DIR, NAMESPACE, values))
        .as("helm template with values:\n%s", values)
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> message[0] = e.getMessage());
    return message[0];
  }

  /**
   * Rendered with the {@code helm test} hooks. helm-java's template leaves hooks out, so this
   * renders a copy whose test templates carry annotation {@code test.reloadly.dev/hook} instead
   * of {@code helm.sh/hook}: same content, no longer a hook.
   */
  Rendered templateWithTestHooks(String values) {
    Path copy = copy();
    try (Stream<Path> tests = Files.list(copy.resolve("templates/tests"))) {
      for (Path test : tests.toList()) {
        Files.writeString(test, Files.readString(test)
            .replace("helm.sh/hook:", "test.reloadly.dev/hook:"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Rendered(StrictManifests.parse(render(copy, NAMESPACE, values)));
  }

  /**
   * {@code helm lint --strict} with these values over the chart's. helm-java's lint reads only
   * the chart's own values.yaml, so this lints a copy whose values.yaml has them merged in.
   */
  LintResult lint(String values) {
    Path copy = copy();
    try {
      ObjectNode merged = (ObjectNode) YAML.readTree(DIR.resolve("values.yaml").toFile());
      merge(merged, YAML.readTree(values));
      YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Helm(copy).lint().strict().call();
  }

  /** The release notes (NOTES.txt) of an install that touches no cluster. */
  String notes(String values) {
    return new Helm(DIR).install().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION).withValuesFile(valuesFile(values)).clientOnly().dryRun()
        .call().getOutput();
  }

  private String render(Path chart, String namespace, String values) {
    return new Helm(chart).template().withName(RELEASE).withNamespace(namespace)
        .withKubeVersion(KUBE_VERSION).withValuesFile(valuesFile(values)).call();
  }

  private Path valuesFile(String values) {
    try {
      Path file = Files.createTempFile(work, "values-", ".yaml");
      Files.writeString(file, values);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of the chart, in a directory of the chart's name (lint compares them). */
  private Path copy() {
    try {
      Path target = Files.createTempDirectory(work, "chart-").resolve(DIR.getFileName());
      try (Stream<Path> files = Files.walk(DIR)) {
        for (Path source : files.toList()) {
          Files.copy(source, target.resolve(DIR.relativize(source).toString()));
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Helm's merge of a values file over the chart's: maps merge key by key, the rest replaces. */
  private static void merge(ObjectNode base, JsonNode overlay) {
    Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode current = base.get(field.getKey());
      if (current instanceof ObjectNode object && field.getValue().isObject()) {
        merge(object, field.getValue());
      } else {
        base.set(field.getKey(), field.getValue());
      }
    }
  }
}
