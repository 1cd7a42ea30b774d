package dev.reloadly.operator.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every ReloadlyCredential in samples/*.yaml would be accepted by an API server with the CRD. */
class SamplesConformToCrdTest {
  static final Path SAMPLES = Path.of(System.getProperty("project.root", "..")).resolve("samples");
  // Loaded before each class rather than in a static initialiser, so a rule that does not
  // compile is reported with its own message instead of as ExceptionInInitializerError.
  static CrdSchema crd;

  @BeforeAll
  static void loadCrd() {
    crd = CrdSchema.load();
  }

  /** A DNS-1123 subdomain, what the API server requires of metadata.name. */
  static final String DNS_SUBDOMAIN =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  static List<Named<JsonNode>> credentialDocuments() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(SAMPLES)) {
      files = listing.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted().toList();
    }
    YAMLMapper yaml = new YAMLMapper();
    List<Named<JsonNode>> credentials = new ArrayList<>();
    for (Path file : files) {
      try (MappingIterator<JsonNode> documents =
          yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
        int index = 0;
        while (documents.hasNext()) {
          JsonNode document = documents.next();
          if (document != null && "ReloadlyCredential".equals(document.path("kind").asText())) {
            credentials.add(Named.of(file.getFileName() + " document " + index + " ("
                + document.path("metadata").path("name").asText() + ")", document));
          }
          index++;
        }
      }
    }
    return credentials;
  }

  @Test
  void samplesHoldAtLeastOneCredential() throws IOException {
    assertThat(credentialDocuments())
        .as("ReloadlyCredential documents under %s", SAMPLES)
        .isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("credentialDocuments")
  void sampleIsAcceptedByTheCrd(JsonNode credential) {
    assertThat(credential.path("apiVersion").asText()).isEqualTo(crd.apiVersion());
    assertThat(credential.path("metadata").path("name").asText())
        .hasSizeLessThanOrEqualTo(253)
        .matches(DNS_SUBDOMAIN);

    Verdict verdict = crd.validate(credential);

    assertThat(verdict.structural()).as("OpenAPI findings").isEmpty();
    assertThat(verdict.rules()).as("CEL rule findings").isEmpty();
  }
}
