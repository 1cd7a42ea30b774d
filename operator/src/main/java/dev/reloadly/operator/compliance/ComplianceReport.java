package dev.reloadly.operator.compliance;

import static dev.reloadly.operator.api.v1alpha1.Conditions.COMPLIANT;

import dev.reloadly.operator.api.v1alpha1.ComplianceCheckStatus;
import dev.reloadly.operator.api.v1alpha1.ComplianceStatus;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs every guideline check on a credential and reports: status.compliance (a score and one
 * entry per check, with since when it has had its result), the Compliant condition (True only
 * when nothing Fails), and when a time-based result next flips, so the reconcile is requeued for
 * that moment and never polls.
 */
public final class ComplianceReport {
  private final List<ComplianceCheck> checks;

  public ComplianceReport(Set<String> freeMail) {
    this(freeMail, OperatorSbom.ofThisBuild());
  }

  /** @param sbom the operator's own SBOM, which guideline A6 asks about */
  public ComplianceReport(Set<String> freeMail, Optional<OperatorSbom> sbom) {
    this.checks = List.of(new Checks.RotationWithinMaxAge(),
        new Checks.NoCompromisedVersionServed(), new Checks.NotInVersionControl(),
        new Checks.EncryptedAtRest(), new Checks.TlsOnly(), new Checks.NotExposedInEnv(),
        new Checks.AccessRestricted(),
        new Checks.OwnerEmailDomain(freeMail), new Checks.PortalPasswordRotated(),
        new Checks.PortalTwoFactor(), new Checks.EgressAllowlisted(),
        new Checks.DependenciesScanned(sbom));
  }

  /** @param failing names of the checks that fail, for messages that gate on them */
  public record Report(ComplianceStatus status, ConditionUpdate condition,
      Optional<Instant> nextDue, List<String> failing) {

    /** The share of checks that pass, of those that ran (1 when none ran). */
    public double score() {
      long ran = status.getChecks().stream().filter(c -> !"Skip".equals(c.getResult())).count();
      long passed = status.getChecks().stream().filter(c -> "Pass".equals(c.getResult())).count();
      return ran == 0 ? 1 : (double) passed / ran;
    }
  }

  public Report run(ComplianceFacts facts, ComplianceStatus previous) {
    List<Finding> findings = new ArrayList<>(checks.stream().map(c -> c.check(facts)).toList());
    findings.add(goLive(facts, findings));
    Map<String, ComplianceCheckStatus> before = previous == null ? Map.of()
        : previous.getChecks().stream().collect(Collectors.toMap(ComplianceCheckStatus::getName,
            Function.identity(), (a, b) -> a));
    ComplianceStatus status = new ComplianceStatus();
    for (Finding f : findings) {
      ComplianceCheckStatus earlier = before.get(f.name());
      String since = earlier != null && Objects.equals(earlier.getResult(), f.result().name())
          ? earlier.getSince() : facts.now().toString();
      status.getChecks().add(new ComplianceCheckStatus(f.ids(), f.name(), f.result().name(),
          f.message(), since));
    }
    long ran = findings.stream().filter(f -> f.result() != Result.Skip).count();
    long passed = findings.stream().filter(f -> f.result() == Result.Pass).count();
    status.setScore(passed + "/" + ran);
    List<String> failing = findings.stream().filter(f -> f.result() == Result.Fail)
        .map(f -> f.name() + " (" + f.ids() + ")").toList();
    ConditionUpdate condition = failing.isEmpty()
        ? new ConditionUpdate(COMPLIANT, true, Conditions.CHECKS_PASS, "no check fails (score "
            + status.getScore() + ")")
        : new ConditionUpdate(COMPLIANT, false, Conditions.CHECKS_FAIL, "failing: "
            + String.join(", ", failing));
    Optional<Instant> next = findings.stream().map(Finding::flipsAt).flatMap(Optional::stream)
        .filter(t -> t.isAfter(facts.now())).min(Instant::compareTo);
    return new Report(status, condition, next, failing);
  }

  /** A4: a live credential goes live only when no other check fails. */
  private static Finding goLive(ComplianceFacts facts, List<Finding> others) {
    if (facts.spec().getEnvironment() != Environment.LIVE) {
      return Finding.of("A4", "GoLiveReview", Result.Skip, "a sandbox credential");
    }
    List<String> failing = others.stream().filter(f -> f.result() == Result.Fail)
        .map(Finding::name).toList();
    return failing.isEmpty()
        ? Finding.of("A4", "GoLiveReview", Result.Pass, "every other check passes or warns")
        : Finding.of("A4", "GoLiveReview", Result.Fail, "not ready for live: " + failing);
  }
}
