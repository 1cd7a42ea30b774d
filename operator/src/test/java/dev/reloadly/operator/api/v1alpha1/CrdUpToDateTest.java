package dev.reloadly.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.Comparator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;
import java.util.Map;
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

  /**
   * What the generator cannot take from annotations: printer columns in the order users read them
   * (it sorts them by name), and descriptions of spec, status and the standard condition fields,
   * so `kubectl explain` is useful at every level.
   */
  static final class PrinterColumnOrder implements CRDPostProcessor {
    static final List<String> ORDER =
        List.of("Product", "Env", "Ready", "Reason", "Compliant", "Next Rotation", "Age");
    static final Map<String, String> CONDITION_FIELDS = Map.of(
        "type", "Condition type, e.g. Ready or RotationDue.",
        "status", "True, False or Unknown.",
        "reason", "One-word machine-readable reason in CamelCase.",
        "message", "What happened, for a person. Never holds a secret.",
        "lastTransitionTime", "When the status last changed (RFC 3339).",
        "observedGeneration", "The spec generation the condition was set for.");

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      for (CustomResourceDefinitionVersion version :
          ((CustomResourceDefinition) crd).getSpec().getVersions()) {
        version.getAdditionalPrinterColumns()
            .sort(Comparator.comparingInt(c -> ORDER.indexOf(c.getName())));
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        root.getProperties().get("spec").setDescription("What the credential is for, where its"
            + " client ID and secret come from, and how the operator serves and rotates it.");
        JSONSchemaProps status = root.getProperties().get("status");
        status.setDescription("What the operator observed and did. Never holds a secret or a"
            + " token.");
        status.getProperties().get("conditions").getItems().getSchema().getProperties()
            .forEach((name, field) -> field.setDescription(CONDITION_FIELDS.get(name)));
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
