package dev.reloadly.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java classes are the source of truth for the CRD; crds/ holds what they generate, finished
 * by {@link AnnotationGaps}. Run with {@code -DupdateCrds=true} to regenerate crds/ after changing
 * the API.
 */
class CrdUpToDateTest {
  static final Path CRDS = Path.of(System.getProperty("project.root", "..")).resolve("crds");
  static final String FILE = "reloadlycredentials.security.reloadly.dev-v1.yml";

  @Test
  void committedCrdMatchesTheJavaClasses(@TempDir Path out) throws IOException {
    new CRDGenerator()
        .inOutputDir(out.toFile())
        .forCRDVersions("v1")
        .customResourceClasses(ReloadlyCredential.class)
        .withPostProcessor(new AnnotationGaps())
        .generate();
    String generated = Files.readString(out.resolve(FILE));
    if (Boolean.getBoolean("updateCrds")) {
      Files.createDirectories(CRDS);
      Files.writeString(CRDS.resolve(FILE), generated);
    }
    String stale = "crds/%s is stale: run ./mvnw -B -pl operator test -Dtest=CrdUpToDateTest"
        + " -DupdateCrds=true, copy it to charts/reloadly-credential-operator/crds/ and commit"
        + " both";
    assertThat(CRDS.resolve(FILE)).as(stale, FILE).exists();
    assertThat(Files.readString(CRDS.resolve(FILE))).as(stale, FILE).isEqualTo(generated);
  }
}
