package dev.reloadly.operator.config;

import dev.reloadly.operator.compliance.FreeMail;
import java.util.Set;

/**
 * Operator-wide compliance settings.
 *
 * @param freeMail the mail domains guideline C1 counts as free mail: the built-in list plus
 *     --free-mail-domains
 */
public record ComplianceDefaults(Set<String> freeMail) {
  public ComplianceDefaults {
    freeMail = Set.copyOf(freeMail);
  }

  public static ComplianceDefaults defaults() {
    return new ComplianceDefaults(FreeMail.DOMAINS);
  }
}
