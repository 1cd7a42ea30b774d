package dev.reloadly.operator.compliance;

import dev.reloadly.operator.api.v1alpha1.Attestations;
import dev.reloadly.operator.api.v1alpha1.ComplianceSpec;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.TargetSpec;
import dev.reloadly.operator.lifecycle.CredentialVersion;
import dev.reloadly.operator.lifecycle.RotationSchedule;
import dev.reloadly.operator.rollout.Consumer;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The guideline checks; each is small and pure (docs/compliance.md maps them to guidelines). */
public final class Checks {
  private Checks() {}

  /** C5: rotate at least every 90 days. */
  public static final class RotationWithinMaxAge implements ComplianceCheck {
    @Override
    public Finding check(ComplianceFacts f) {
      Optional<CredentialVersion> current = f.ledger().current();
      if (current.isEmpty()) {
        return Finding.of("C5", "RotationWithinMaxAge", Result.Skip, "no version is served");
      }
      RotationSchedule schedule = f.policy().rotation();
      Instant due = schedule.dueAt(current.get());
      Instant overdue = schedule.overdueAt(current.get());
      if (f.now().isBefore(due)) {
        return new Finding("C5", "RotationWithinMaxAge", Result.Pass, "the current version is"
            + " younger than maxAge; rotation is due at " + due, Optional.of(due));
      }
      if (f.now().isBefore(overdue)) {
        return new Finding("C5", "RotationWithinMaxAge", Result.Warn, "rotation is due: the"
            + " current version reaches maxAge at " + overdue, Optional.of(overdue));
      }
      return Finding.of("C5", "RotationWithinMaxAge", Result.Fail, "the current version is older"
          + " than maxAge (since " + overdue + "): rotate it in the Reloadly portal");
    }
  }

  /** C4, C6: a suspected leak is answered; no compromised version is served. */
  public static final class NoCompromisedVersionServed implements ComplianceCheck {
    @Override
    public Finding check(ComplianceFacts f) {
      boolean open = isTrue(f.conditions(), Conditions.CREDENTIAL_COMPROMISED);
      return open ? Finding.of("C4,C6", "NoCompromisedVersionServed", Result.Fail, "a reported"
          + " compromise is open: the version is withdrawn, rotate the credential")
          : Finding.of("C4,C6", "NoCompromisedVersionServed", Result.Pass, "no compromised"
              + " version or its token is served");
    }
  }

  /** B2: secrets are not kept in version control. */
  public static final class NotInVersionControl implements ComplianceCheck {
    /** Owners whose Secrets are produced from an encrypted or external store, not from Git. */
    static final Set<String> PRODUCERS = Set.of("SealedSecret", "ExternalSecret",
        "VaultStaticSecret", "VaultDynamicSecret", "VaultPKISecret", "VaultSecret",
        "ReloadlyCredential");

    @Override
    public Finding check(ComplianceFacts f) {
      if (f.spec().getSource() != null && f.spec().getSource().getSealed() != null) {
        return Finding.of("B2", "NotInVersionControl", Result.Pass, "the source is sealed: Git"
            + " holds only ciphertext");
      }
      if (f.origin() == null) {
        return Finding.of("B2", "NotInVersionControl", Result.Skip, "the source Secret was not"
            + " read");
      }
      if (f.origin().ownerKinds().stream().anyMatch(PRODUCERS::contains)) {
        return Finding.of("B2", "NotInVersionControl", Result.Pass, "the source Secret is"
            + " produced by " + f.origin().ownerKinds());
      }
      return f.origin().syncedFromGit()
          ? Finding.of("B2", "NotInVersionControl", Result.Fail, "the source Secret is synced"
              + " from Git as a plain object (Argo CD tracking or instance label, no producing"
              + " owner): the client secret is in version control. Seal it, or use External"
              + " Secrets or Vault")
          : Finding.of("B2", "NotInVersionControl", Result.Pass, "the source Secret is not synced"
              + " from Git");
    }
  }

  /** B5: credentials are encrypted at rest. */
  public static final class EncryptedAtRest implements ComplianceCheck {
    @Override
    public Finding check(ComplianceFacts f) {
      if (!f.storeUnderCurrentKeys()) {
        return Finding.of("B5", "EncryptedAtRest", Result.Fail, "the store holds values wrapped"
            + " under keys the operator does not hold");
      }
      TargetMode mode = Optional.ofNullable(f.spec().getTarget()).map(TargetSpec::getMode)
          .orElse(TargetMode.TOKEN);
      if (mode != TargetMode.TOKEN) {
        return Finding.of("B5", "EncryptedAtRest", Result.Warn, "stored versions are encrypted,"
            + " but target mode " + mode.name().toLowerCase(Locale.ROOT) + " hands the client"
            + " secret itself to the apps: prefer mode token");
      }
      if (!f.kekInKms()) {
        return Finding.of("B5", "EncryptedAtRest", Result.Warn, "stored versions are encrypted,"
            + " but the key-encryption keys are local (in the operator's key Secret): use"
            + " --kek-provider kms-v2");
      }
      return Finding.of("B5", "EncryptedAtRest", Result.Pass, "stored versions are encrypted"
          + " under KMS-protected keys; apps get a token only");
    }
  }

  /** B8: TLS only. */
  public static final class TlsOnly implements ComplianceCheck {
    @Override
    public Finding check(ComplianceFacts f) {
      String base = f.spec().getProduct().baseUrl(f.spec().getEnvironment());
      boolean https = base.startsWith("https://") && "https".equals(f.authUrl().getScheme());
      boolean old = f.tlsProtocols().stream()
          .anyMatch(p -> p.equals("TLSv1") || p.equals("TLSv1.1") || p.startsWith("SSL"));
      if (!https) {
        // The operator accepts plain http only to a loopback host: a local simulator.
        return Finding.of("B8", "TlsOnly", Result.Warn, "the token endpoint is a local simulator"
            + " over http (" + f.authUrl().getHost() + "); Reloadly itself is reached over https"
            + " only");
      }
      return old ? Finding.of("B8", "TlsOnly", Result.Fail, "the operator's client enables "
          + f.tlsProtocols() + ": below TLS 1.2")
          : Finding.of("B8", "TlsOnly", Result.Pass, "every endpoint is https; the client"
              + " allows " + f.tlsProtocols());
    }
  }

  /** B9: secrets are not exposed in environment variables. */
  public static final class NotExposedInEnv implements ComplianceCheck {
    @Override
    public Finding check(ComplianceFacts f) {
      List<Consumer> readers = f.consumers().stream().filter(c -> c.reads().any()).toList();
      if (readers.isEmpty()) {
        return Finding.of("B9", "NotExposedInEnv", Result.Skip, "no workload reads the target"
            + " Secret");
      }
      List<String> env = readers.stream().filter(c -> c.reads().env()).map(Consumer::key)
          .toList();
      return env.isEmpty()
          ? Finding.of("B9", "NotExposedInEnv", Result.Pass, "consumers read the Secret from"
              + " files")
          : Finding.of("B9", "NotExposedInEnv", Result.Warn, env + " read the Secret from"
              + " environment variables, which leak into crash dumps and process listings:"
              + " mount it as a file");
    }
  }

  /** B3, C4: only those who need the credential can read its Secrets. */
  public static final class AccessRestricted implements ComplianceCheck {
    @Override
    public Finding check(ComplianceFacts f) {
      if (f.unexpectedReaders().isEmpty()) {
        return Finding.of("B3,C4", "AccessRestricted", Result.Skip, "RBAC was not read");
      }
      Set<String> others = f.unexpectedReaders().get();
      return others.isEmpty()
          ? Finding.of("B3,C4", "AccessRestricted", Result.Pass, "only the consumers' service"
              + " accounts, the operator and cluster admins can read the credential's Secrets")
          : Finding.of("B3,C4", "AccessRestricted", Result.Fail, "RBAC also lets " + others
              + " read the credential's Secrets: narrow the Roles bound to them");
    }
  }

  /** C1: the owner's email is on a company domain. */
  public static final class OwnerEmailDomain implements ComplianceCheck {
    private final Set<String> freeMail;

    public OwnerEmailDomain(Set<String> freeMail) {
      this.freeMail = freeMail;
    }

    @Override
    public Finding check(ComplianceFacts f) {
      String email = f.spec().getOwner() == null ? null : f.spec().getOwner().getEmail();
      if (email == null || !email.contains("@")) {
        return Finding.of("C1", "OwnerEmailDomain", Result.Fail, "spec.owner.email is missing");
      }
      String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
      return freeMail.contains(domain)
          ? Finding.of("C1", "OwnerEmailDomain", Result.Fail, "the owner's email is on " + domain
              + ", a free mail provider: use the company's domain")
          : Finding.of("C1", "OwnerEmailDomain", Result.Pass, "the owner's email is on " + domain);
    }
  }

  /** C2: the portal password is changed every 90 days (attested). */
  public static final class PortalPasswordRotated implements ComplianceCheck {
    static final Duration MAX_AGE = Duration.ofDays(90);

    @Override
    public Finding check(ComplianceFacts f) {
      String date = attestations(f).map(Attestations::getPortalPasswordRotatedAt).orElse(null);
      if (date == null) {
        return Finding.of("C2", "PortalPasswordRotated", Result.Fail, "not attested: set"
            + " spec.compliance.attestations.portalPasswordRotatedAt");
      }
      Instant changed;
      try {
        changed = LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        return Finding.of("C2", "PortalPasswordRotated", Result.Fail, "'" + date + "' is not a"
            + " date (YYYY-MM-DD)");
      }
      if (changed.isAfter(f.now())) {
        return Finding.of("C2", "PortalPasswordRotated", Result.Fail, "the attested date " + date
            + " is in the future");
      }
      Instant due = changed.plus(MAX_AGE);
      return f.now().isBefore(due)
          ? new Finding("C2", "PortalPasswordRotated", Result.Pass, "the portal password was"
              + " changed on " + date + "; due again at " + due, Optional.of(due))
          : Finding.of("C2", "PortalPasswordRotated", Result.Fail, "the portal password was"
              + " changed on " + date + ", more than 90 days ago");
    }
  }

  /** C3: two-factor authentication on the portal (attested). */
  public static final class PortalTwoFactor implements ComplianceCheck {
    @Override
    public Finding check(ComplianceFacts f) {
      return attestations(f).map(Attestations::getPortalTwoFactor).orElse(false)
          ? Finding.of("C3", "PortalTwoFactor", Result.Pass, "attested")
          : Finding.of("C3", "PortalTwoFactor", Result.Fail, "not attested: turn on two-factor"
              + " authentication in the portal and set"
              + " spec.compliance.attestations.portalTwoFactor");
    }
  }

  /** C7: Reloadly accepts traffic only from allowlisted IPs. */
  public static final class EgressAllowlisted implements ComplianceCheck {
    @Override
    public Finding check(ComplianceFacts f) {
      if (f.spec().getEgress() == null) {
        return Finding.of("C7", "EgressAllowlisted", Result.Warn, "spec.egress is not set: the"
            + " consumers' egress is not pinned to allowlisted IPs");
      }
      Optional<Condition> allowlisted = find(f.conditions(), Conditions.EGRESS_ALLOWLISTED);
      Optional<Condition> verified = find(f.conditions(), Conditions.EGRESS_VERIFIED);
      if (allowlisted.isPresent() && !"True".equals(allowlisted.get().getStatus())) {
        return Finding.of("C7", "EgressAllowlisted", Result.Fail, allowlisted.get().getMessage());
      }
      if (verified.isPresent() && !"True".equals(verified.get().getStatus())) {
        return Finding.of("C7", "EgressAllowlisted", Result.Fail, "the egress probe: "
            + verified.get().getMessage());
      }
      return Finding.of("C7", "EgressAllowlisted", Result.Pass, "every NAT node's stable IP is"
          + " allowlisted" + (verified.isPresent() ? ", and the probe reached Reloadly" : ""));
    }
  }

  /**
   * A6: know the third-party libraries. Covers the operator's own: its build publishes a
   * CycloneDX SBOM (in the jar and image) for the cluster's vulnerability scanner.
   */
  public static final class DependenciesScanned implements ComplianceCheck {
    private final Optional<OperatorSbom> sbom;

    public DependenciesScanned(Optional<OperatorSbom> sbom) {
      this.sbom = sbom;
    }

    @Override
    public Finding check(ComplianceFacts f) {
      return sbom.map(b -> Finding.of("A6", "DependenciesScanned", Result.Pass, "the operator"
          + " publishes a CycloneDX " + b.specVersion() + " SBOM of its " + b.components()
          + " libraries (" + OperatorSbom.RESOURCE + " in its jar and image) for your"
          + " vulnerability scanner; your apps' dependencies are yours to scan"))
          .orElseGet(() -> Finding.of("A6", "DependenciesScanned", Result.Skip, "this build of"
              + " the operator carries no SBOM (built outside Maven?); scan your apps'"
              + " dependencies yourself"));
    }
  }

  static Optional<Attestations> attestations(ComplianceFacts f) {
    return Optional.ofNullable(f.spec().getCompliance()).map(ComplianceSpec::getAttestations);
  }

  static boolean isLive(ComplianceFacts f) {
    return f.spec().getEnvironment() == Environment.LIVE;
  }

  private static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
