package dev.reloadly.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What `kubectl get rlc` shows reads right: no future time printed as an age. */
class PrinterColumnsTest {
  @Test
  void onlyPastTimesAreDateColumns() throws IOException {
    // The API server prints a date column as the age since that time, "<invalid>" for a future
    // one; only the creation time is always in the past.
    assertThat(columns()).filteredOn(c -> "date".equals(c.getType()))
        .extracting(CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(".metadata.creationTimestamp");
    assertThat(columns()).filteredOn(c -> "Next Rotation".equals(c.getName())).singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo("string"));
  }

  @Test
  void readyReasonHasAColumnNextToReady() throws IOException {
    List<String> names = columns().stream().map(CustomResourceColumnDefinition::getName).toList();
    assertThat(names.indexOf("Reason")).isEqualTo(names.indexOf("Ready") + 1);
    assertThat(columns()).filteredOn(c -> "Reason".equals(c.getName())).singleElement()
        .satisfies(c -> assertThat(c.getJsonPath())
            .isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason"));
  }

  private static List<CustomResourceColumnDefinition> columns() throws IOException {
    try (InputStream in = Files.newInputStream(CrdUpToDateTest.CRDS.resolve(CrdUpToDateTest.FILE))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class).getSpec().getVersions()
          .get(0).getAdditionalPrinterColumns();
    }
  }
}
