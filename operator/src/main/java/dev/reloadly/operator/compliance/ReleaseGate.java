package dev.reloadly.operator.compliance;

import dev.reloadly.operator.api.v1alpha1.ComplianceSpec;
import dev.reloadly.operator.api.v1alpha1.Enforcement;
import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import java.util.Optional;

/**
 * The go-live gate of {@code compliance.enforcement: block} (the default for live credentials):
 * the target Secret is not created for a first release while a check fails. Once the credential
 * is released (its target exists), a later failure never removes or blanks it: a self-inflicted
 * outage is worse than the finding, which conditions, Events and metrics report instead.
 */
public final class ReleaseGate {
  private ReleaseGate() {}

  /** The enforcement in force: the spec's, else block for live and warn for sandbox. */
  public static Enforcement enforcement(ReloadlyCredential credential) {
    return Optional.ofNullable(credential.getSpec().getCompliance())
        .map(ComplianceSpec::getEnforcement)
        .orElse(credential.getSpec().getEnvironment() == Environment.LIVE ? Enforcement.BLOCK
            : Enforcement.WARN);
  }

  /** Whether serving waits: blocking enforcement, nothing released yet, and a check fails. */
  public static boolean holds(ReloadlyCredential credential, boolean released,
      ComplianceReport.Report report) {
    return enforcement(credential) == Enforcement.BLOCK && !released
        && !report.failing().isEmpty();
  }

  public static String message(ComplianceReport.Report report) {
    return "not released: compliance.enforcement is block and these checks fail: "
        + String.join(", ", report.failing()) + ". Fix them (docs/compliance.md), or set"
        + " enforcement: warn";
  }
}
