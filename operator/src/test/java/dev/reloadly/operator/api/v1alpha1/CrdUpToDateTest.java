package dev.reloadly.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.Comparator;
import java.util.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java classes are the source of truth for the CRD; crds/ holds what they generate. Run with
 * {@code -DupdateCrds=true} to regenerate crds/ after changing the API.
 */
class CrdUpToDateTest {
  static final Path CRDS = Path.of(System.getProperty("project.root", "..")).resolve("crds");
  static final String FILE = "reloadlycredentials.security.reloadly.dev-v1.yml";

  /** The generator sorts printer columns by name; kubectl shows them in the order users read. */
  static final class PrinterColumnOrder implements CRDPostProcessor {
    static final List<String> ORDER =
        List.of("Product", "Env", "Ready", "Compliant", "Next Rotation", "Age");

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      for (CustomResourceDefinitionVersion version :
          ((CustomResourceDefinition) crd).getSpec().getVersions()) {
        version.getAdditionalPrinterColumns()
            .sort(Comparator.comparingInt(c -> ORDER.indexOf(c.getName())));
      }
      return crd;
    }
  }

  @Test
  void committedCrdMatchesTheJavaClasses(@TempDir Path out) throws IOException {
    new CRDGenerator()
        .inOutputDir(out.toFile())
        .forCRDVersions("v1")
        .customResourceClasses(ReloadlyCredential.class)
        .withPostProcessor(new PrinterColumnOrder())
        .generate();
    String generated = Files.readString(out.resolve(FILE));
    if (Boolean.getBoolean("updateCrds")) {
      Files.createDirectories(CRDS);
      Files.writeString(CRDS.resolve(FILE), generated);
    }
    assertThat(CRDS.resolve(FILE))
        .as("crds/%s is stale: run ./mvnw -B -pl operator test -Dtest=CrdUpToDateTest"
            + " -DupdateCrds=true and commit crds/", FILE)
        .exists();
    assertThat(Files.readString(CRDS.resolve(FILE)))
        .as("crds/%s is stale: run ./mvnw -B -pl operator test -Dtest=CrdUpToDateTest"
            + " -DupdateCrds=true and commit crds/", FILE)
        .isEqualTo(generated);
  }
}
