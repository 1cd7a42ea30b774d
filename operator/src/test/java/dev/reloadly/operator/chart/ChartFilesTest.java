package dev.reloadly.operator.chart;

import static dev.reloadly.operator.chart.ChartValues.DEFAULTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the chart shares with the rest of the repository: the CRD, and the image's user and jar. */
class ChartFilesTest {
  static final Path CRDS = HelmChart.ROOT.resolve("crds");
  static final Path CHART_CRDS = HelmChart.DIR.resolve("crds");
  static final Path DOCKERFILE = HelmChart.ROOT.resolve("Dockerfile");
  static final String JAR = "/app/reloadly-credential-operator.jar";

  @Test
  void theChartsCrdsAreTheGeneratedOnesByteForByte() throws IOException {
    String copy = "cp crds/*.yml charts/reloadly-credential-operator/crds/";
    assertThat(names(CHART_CRDS)).as("charts/reloadly-credential-operator/crds/ lists the files"
        + " of crds/: run `%s` (and remove any file crds/ no longer has)", copy)
        .isEqualTo(names(CRDS));
    for (String name : names(CRDS)) {
      assertThat(Files.readAllBytes(CHART_CRDS.resolve(name)))
          .as("charts/reloadly-credential-operator/crds/%s differs from crds/%s: run `%s`",
              name, name, copy)
          .isEqualTo(Files.readAllBytes(CRDS.resolve(name)));
    }
  }

  @Test
  void theImageRunsAsTheUserTheChartNames(@TempDir Path work) throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);
    // The last stage is what runs.
    String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    assertThat(runtime).contains("FROM gcr.io/distroless/java17-debian12:nonroot");
    Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)\\s*$").matcher(runtime);
    assertThat(user.find()).as("a numeric USER uid:gid in the runtime stage").isTrue();

    var pod = new HelmChart(work).template(DEFAULTS).pod();
    assertThat(Long.parseLong(user.group(1))).as("Dockerfile USER uid = chart runAsUser")
        .isEqualTo(pod.getSecurityContext().getRunAsUser());
    assertThat(Long.parseLong(user.group(2))).as("Dockerfile USER gid = chart runAsGroup")
        .isEqualTo(pod.getSecurityContext().getRunAsGroup());
  }

  @Test
  void theImageRunsTheJarItCopiesWithRunAsItsDefaultCommand() throws IOException {
    String runtime = Files.readString(DOCKERFILE);
    runtime = runtime.substring(runtime.lastIndexOf("\nFROM "));
    assertThat(runtime).containsPattern("(?m)^COPY --from=build \\S+/reloadly-credential-operator"
        + "\\.jar " + Pattern.quote(JAR) + "$");
    assertThat(runtime).contains("ENTRYPOINT [\"java\", \"-jar\", \"" + JAR + "\"]");
    assertThat(runtime).contains("CMD [\"run\"]");
    assertThat(Files.readString(HelmChart.ROOT.resolve("operator/pom.xml")))
        .as("the shaded jar's name").contains("<finalName>reloadly-credential-operator</finalName>");
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
