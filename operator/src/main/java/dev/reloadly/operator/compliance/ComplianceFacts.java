package dev.reloadly.operator.compliance;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.rollout.Consumer;
import dev.reloadly.operator.source.SourceOrigin;
import io.fabric8.kubernetes.api.model.Condition;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of what the checks look at: the spec, the ledger, the conditions this reconcile
 * drafted, the consumers, and a few facts about the operator and the cluster.
 *
 * @param origin what the source Secret's metadata says of where it came from; null when the
 *     source is sealed or was not read
 * @param storeUnderCurrentKeys every stored value is wrapped under a KEK the operator holds
 * @param kekInKms the key-encryption keys are protected by a KMS v2 plugin (not local bytes)
 * @param authUrl where the operator asks Reloadly for tokens
 * @param tlsProtocols the TLS protocols the operator's HTTP client enables
 * @param unexpectedReaders who else may read the credential's Secrets through RBAC (see
 *     {@link SecretReaders}); empty when RBAC was not read
 */
public record ComplianceFacts(ReloadlyCredentialSpec spec, CredentialPolicy policy,
    VersionLedger ledger, List<Condition> conditions, SourceOrigin origin,
    List<Consumer> consumers, boolean storeUnderCurrentKeys, boolean kekInKms, URI authUrl,
    List<String> tlsProtocols, Instant now, Optional<Set<String>> unexpectedReaders) {

  /** Without RBAC facts: AccessRestricted is skipped. */
  public ComplianceFacts(ReloadlyCredentialSpec spec, CredentialPolicy policy,
      VersionLedger ledger, List<Condition> conditions, SourceOrigin origin,
      List<Consumer> consumers, boolean storeUnderCurrentKeys, boolean kekInKms, URI authUrl,
      List<String> tlsProtocols, Instant now) {
    this(spec, policy, ledger, conditions, origin, consumers, storeUnderCurrentKeys, kekInKms,
        authUrl, tlsProtocols, now, Optional.empty());
  }
}
