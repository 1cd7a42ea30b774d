package dev.reloadly.operator.compliance;

/** One guideline check: pure, facts in, a finding out. */
public interface ComplianceCheck {
  Finding check(ComplianceFacts facts);
}
