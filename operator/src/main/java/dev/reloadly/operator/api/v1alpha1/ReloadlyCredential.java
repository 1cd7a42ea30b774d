package dev.reloadly.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Reloadly API credential (client ID and client secret) whose lifecycle the operator runs: it
 * keeps the secret encrypted, rotates it, mints bearer tokens and serves them to workloads through
 * a target Secret.
 */
@Group(ReloadlyCredential.GROUP)
@Version(ReloadlyCredential.VERSION)
@Kind(ReloadlyCredential.KIND)
@Plural("reloadlycredentials")
@Singular("reloadlycredential")
@ShortNames("rlc")
@io.fabric8.kubernetes.model.annotation.Categories("reloadly")
@AdditionalPrinterColumn(name = "Product", jsonPath = ".spec.product", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Env", jsonPath = ".spec.environment", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Why the credential is or is not ready.")
@AdditionalPrinterColumn(
    name = "Compliant",
    jsonPath = ".status.conditions[?(@.type==\"Compliant\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Next Rotation",
    jsonPath = ".status.nextRotationAt",
    // A string, not a date: the API server prints a date column as the age since that time,
    // which is "<invalid>" for a time in the future, the usual case here.
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "When the next rotation is due (RFC 3339, UTC).")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ReloadlyCredential extends CustomResource<ReloadlyCredentialSpec, ReloadlyCredentialStatus>
    implements Namespaced {
  public static final String GROUP = "security.reloadly.dev";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "ReloadlyCredential";
  public static final String CRD_NAME = "reloadlycredentials." + GROUP;

  @Override
  protected ReloadlyCredentialStatus initStatus() {
    return new ReloadlyCredentialStatus();
  }
}
