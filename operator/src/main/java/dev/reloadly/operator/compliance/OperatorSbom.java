package dev.reloadly.operator.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The CycloneDX SBOM the build writes into the operator's jar (guideline A6): what check
 * {@code DependenciesScanned} reports. Read once; a build without it (an IDE run) has none.
 */
public record OperatorSbom(String specVersion, int components) {
  /** Where the build puts it, in the jar and so in the image. */
  public static final String RESOURCE = "META-INF/sbom/reloadly-credential-operator.cdx.json";

  private static final class Loaded {
    static final Optional<OperatorSbom> SBOM = read(
        OperatorSbom.class.getClassLoader().getResourceAsStream(RESOURCE));
  }

  /** The SBOM in this build, if it carries one. */
  public static Optional<OperatorSbom> ofThisBuild() {
    return Loaded.SBOM;
  }

  /** Parses a CycloneDX JSON document; empty when it is missing or not one. */
  static Optional<OperatorSbom> read(InputStream in) {
    if (in == null) {
      return Optional.empty();
    }
    try (in) {
      JsonNode bom = new ObjectMapper().readTree(in);
      if (bom == null || !"CycloneDX".equals(bom.path("bomFormat").asText())
          || !bom.path("components").isArray()) {
        return Optional.empty();
      }
      return Optional.of(new OperatorSbom(bom.path("specVersion").asText("?"),
          bom.path("components").size()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
