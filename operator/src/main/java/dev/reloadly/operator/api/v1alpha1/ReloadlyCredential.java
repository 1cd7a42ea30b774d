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
// Columns in the order kubectl prints them: CrdUpToDateTest's post-processor restores it (the
// generator sorts by name). Priority 1 columns show with -o wide only. Status times are strings,
// RFC 3339 as status holds them: the API server prints a date column as the age since that time,
// which is "<invalid>" for a time still to come (Next Rotation, Token Expires). Only Age is a date.
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether the target Secret serves a valid credential (the Ready condition).")
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Why the credential is or is not ready.")
@AdditionalPrinterColumn(
    name = "Version",
    jsonPath = ".status.currentVersion",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Start of the current version's fingerprint.")
@AdditionalPrinterColumn(
    name = "Next Rotation",
    jsonPath = ".status.nextRotationAt",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "When the next rotation is due (RFC 3339, UTC).")
@AdditionalPrinterColumn(
    name = "Token Expires",
    jsonPath = ".status.tokenExpiresAt",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "When the served bearer token expires (RFC 3339, UTC).")
@AdditionalPrinterColumn(
    name = "Consumers",
    jsonPath = ".status.consumerCount",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "How many workloads consume the target Secret.")
@AdditionalPrinterColumn(
    name = "Rolled Out",
    jsonPath = ".status.rollout.completedAt",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "When every consumer was last healthy on what the target serves (RFC 3339);"
        + " empty while a rollout runs.")
@AdditionalPrinterColumn(
    name = "Compliant",
    jsonPath = ".status.conditions[?(@.type==\"Compliant\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether every compliance check passes (the Compliant condition).")
@AdditionalPrinterColumn(
    name = "Egress",
    jsonPath = ".status.conditions[?(@.type==\"EgressReady\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Whether the consumers' egress is pinned to the NAT nodes (the EgressReady"
        + " condition); empty without spec.egress.")
@AdditionalPrinterColumn(
    name = "Product",
    jsonPath = ".spec.product",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Reloadly product: airtime, giftcards or utilities.")
@AdditionalPrinterColumn(
    name = "Env",
    jsonPath = ".spec.environment",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Reloadly environment: live or sandbox.")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "How long ago the credential was created.")
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
