package dev.reloadly.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.Comparator;
import java.util.List;

/**
 * What the CRD generator cannot take from annotations: the printer columns in the order people
 * read them (it sorts them by name), and descriptions of the resource, of spec and status, and of
 * the Kubernetes types the API embeds, so {@code kubectl explain} is useful at every level.
 */
final class AnnotationGaps implements CRDPostProcessor {
  /** Default and -o wide columns together, in the order kubectl prints them. */
  static final List<String> ORDER = List.of("Ready", "Reason", "Version", "Next Rotation",
      "Token Expires", "Consumers", "Rolled Out", "Compliant", "Egress", "Product", "Env", "Age");

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    for (CustomResourceDefinitionVersion version :
        ((CustomResourceDefinition) crd).getSpec().getVersions()) {
      version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(c -> {
        int at = ORDER.indexOf(c.getName());
        if (at < 0) {
          throw new IllegalStateException("printer column " + c.getName() + " is not in ORDER");
        }
        return at;
      }));
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      root.setDescription("A Reloadly API credential (client ID and client secret) whose"
          + " lifecycle the operator runs: it keeps the secret encrypted, rotates it, mints bearer"
          + " tokens and serves them to workloads through a target Secret.");
      JSONSchemaProps spec = root.getProperties().get("spec");
      spec.setDescription("What the credential is for, where its client ID and secret come from,"
          + " and how the operator serves and rotates it.");
      JSONSchemaProps status = root.getProperties().get("status");
      status.setDescription("What the operator observed and did. Never holds a secret or a"
          + " token.");
      EmbeddedTypeDescriptions.fill(spec, ReloadlyCredentialSpec.class);
      EmbeddedTypeDescriptions.fill(status, ReloadlyCredentialStatus.class);
    }
    return crd;
  }
}
