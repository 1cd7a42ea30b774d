package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.api.v1alpha1.Conditions.READY;
import static dev.reloadly.operator.api.v1alpha1.Conditions.TOKEN_READY;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.crypto.StoreDecryptionException;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import dev.reloadly.operator.lifecycle.CredentialLifecycle;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.lifecycle.CredentialVersion;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.target.OwnedSecretWriter;
import dev.reloadly.operator.target.TargetData;
import dev.reloadly.operator.target.TargetSecret;
import dev.reloadly.operator.token.ServedToken;
import dev.reloadly.operator.token.TokenResult;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the current version through the target Secret: its credentials and/or a bearer token
 * (decided by {@link TokenServing}), or, after a compromise with nothing to replace it, only the
 * endpoint. It writes only the target; what it found comes back as a {@link Served} for the
 * reconciler to put into status.
 */
final class TargetServing {
  private final TokenServing tokens;

  TargetServing(TokenServing tokens) {
    this.tokens = tokens;
  }

  /**
   * @param fresh a token the lifecycle minted while validating the new current version
   * @param sourceReady whether the source could be read in this reconcile
   */
  record Input(ReloadlyCredential credential, TargetSecrets owned, StoredVersions stored,
      Optional<CredentialLifecycle.Offer> offer, Optional<TokenResult.Issued> fresh,
      CredentialPolicy policy, StoredVersions.Crypto crypto, boolean sourceReady, Instant now) {

    String subject() {
      return credential.getMetadata().getNamespace() + "/" + credential.getMetadata().getName();
    }

    String audience() {
      return credential.getSpec().getProduct().baseUrl(credential.getSpec().getEnvironment());
    }
  }

  /**
   * What serving found.
   *
   * @param tokenExpiresAt the expiry of the token the target serves afterwards, or null
   * @param forcedRefreshAnswered a token was minted while the refresh-token annotation was set
   * @param heldBack the target was left on what it served (an older version, or nothing) because
   *     the current version has no token yet: consumers must not be rolled onto the current one
   */
  record Served(List<ConditionUpdate> conditions, Optional<Instant> nextDue, String tokenExpiresAt,
      boolean forcedRefreshAnswered, boolean heldBack) {

    Served(List<ConditionUpdate> conditions, Optional<Instant> nextDue, String tokenExpiresAt,
        boolean forcedRefreshAnswered) {
      this(conditions, nextDue, tokenExpiresAt, forcedRefreshAnswered, false);
    }
  }

  Served serve(Input in) {
    VersionLedger ledger = in.stored().ledger();
    Optional<CredentialVersion> current = ledger.current();
    if (current.isEmpty()) {
      return withdrawOrWait(in, ledger);
    }
    String fingerprint = current.get().fingerprint();
    boolean fromOffer = in.offer().map(o -> o.fingerprint().equals(fingerprint)).orElse(false);
    Optional<ServedToken> served = in.owned().target()
        .flatMap(t -> ServedToken.from(t.getMetadata().getAnnotations()))
        .filter(s -> s.fingerprint().equals(fingerprint));
    CredentialMaterial material;
    try {
      material = fromOffer ? in.offer().get().material()
          : in.stored().open(fingerprint, in.crypto()).orElseThrow(() ->
              new IllegalStateException("no value for current version " + fingerprint));
    } catch (StoreDecryptionException | IllegalStateException e) {
      // The target keeps what it serves; only a person can restore a lost key or store.
      return new Served(List.of(new ConditionUpdate(READY, false, Conditions.STORE_DAMAGED,
          "the store Secret " + in.owned().storeName() + " cannot give back version "
              + fingerprint + " (" + (e instanceof StoreDecryptionException d ? d.reason()
              : "missing value") + "); the target Secret is left as it was. Update the source to"
              + " store it again.")), Optional.empty(), servedExpiry(in.owned().target()), false);
    }
    TokenServing.Decision token = null;
    try {
      TargetMode mode = TargetSecret.mode(in.credential());
      TargetData data = new TargetData(TargetSecret.keys(in.credential()))
          .withEndpoint(in.audience());
      Map<String, String> annotations = new HashMap<>();
      annotations.put(ApiLabels.VERSION, fingerprint);
      if (mode.includesCredentials()) {
        data.withCredentials(material);
      }
      List<ConditionUpdate> conditions = new ArrayList<>();
      boolean forced = forcedRefresh(in.credential());
      boolean wantToken = mode.includesToken() && in.policy().tokenEnabled();
      if (wantToken) {
        token = tokens.decide(new TokenServing.Request(in.subject(), fingerprint, material,
            in.audience(), served, in.fresh(), in.policy().refresh(), forced, in.now()));
        token.condition().ifPresent(conditions::add);
        token.minted().ifPresent(data::withToken);
        if (token.minted().isEmpty() && token.kept().isPresent()) {
          data.withServedToken(in.owned().target().orElseThrow().getData());
        }
      }
      if (wantToken && !data.hasToken() && !servesVersion(in.owned().target(), fingerprint)) {
        // A version switch without its token would leave the consumers a Secret with no token:
        // after a restart lost the token minted while testing this version, with Reloadly
        // unreachable. The target keeps what it serves instead, complete (a previous version
        // keeps its value in the store until the consumers rolled onto the current one), and is
        // switched once a token for this version is minted.
        conditions.add(new ConditionUpdate(READY, false, Conditions.TOKEN_REQUEST_FAILED,
            "no bearer token for version " + fingerprint + " yet; target Secret "
                + in.owned().targetName() + " keeps what it serves until one is minted; see"
                + " TokenReady"));
        return new Served(conditions, token.nextDue(), servedExpiry(in.owned().target()), false,
            true);
      }
      Optional<Instant> expiresAt = token == null ? Optional.empty() : token.expiresAt();
      annotations.put(ApiLabels.TOKEN_ISSUED_AT, token == null ? null : token.minted()
          .map(t -> t.issuedAt().toString())
          .orElse(token.kept().map(s -> s.issuedAt().toString()).orElse(null)));
      annotations.put(ApiLabels.TOKEN_EXPIRES_AT, expiresAt.map(Instant::toString).orElse(null));

      OwnedSecretWriter.Outcome written = in.owned().writeTarget(annotations, data.build());
      if (written == OwnedSecretWriter.Outcome.CONFLICT) {
        conditions.add(new ConditionUpdate(READY, false, Conditions.TARGET_CONFLICT, "Secret "
            + in.owned().targetName() + " exists and is not owned by this credential; it is"
            + " left untouched. Delete it or set spec.target.secretName to another name."));
        return new Served(conditions, token == null ? Optional.empty() : token.nextDue(),
            servedExpiry(in.owned().target()), false);
      }
      in.owned().deleteStaleTargets();
      conditions.add(readiness(in, fingerprint, wantToken && !data.hasToken()));
      return new Served(conditions, token == null ? Optional.empty() : token.nextDue(),
          expiresAt.map(Instant::toString).orElse(null),
          forced && token != null && token.minted().isPresent());
    } finally {
      if (token != null) {
        token.minted().ifPresent(TokenResult.Issued::wipe);
      }
      in.fresh().ifPresent(TokenResult.Issued::wipe);
      if (!fromOffer) {
        material.close();
      }
    }
  }

  /** Ready once the target is written: true unless the source or the token needs attention. */
  private static ConditionUpdate readiness(Input in, String fingerprint, boolean tokenMissing) {
    if (!in.sourceReady()) {
      return new ConditionUpdate(READY, false, Conditions.SOURCE_NOT_READY, "the source cannot"
          + " be read; target Secret " + in.owned().targetName() + " keeps serving version "
          + fingerprint + " from the store");
    }
    if (tokenMissing) {
      return new ConditionUpdate(READY, false, Conditions.TOKEN_REQUEST_FAILED,
          "no bearer token could be minted yet; see TokenReady");
    }
    return new ConditionUpdate(READY, true, Conditions.RECONCILED, "target Secret "
        + in.owned().targetName() + " serves version " + fingerprint);
  }

  /** No current version: after a compromise the target is stripped; otherwise left as it was. */
  private static Served withdrawOrWait(Input in, VersionLedger ledger) {
    boolean openIncident = ledger.incidents().stream().anyMatch(i -> i.resolvedAt() == null);
    if (openIncident && in.owned().target().isPresent()) {
      Map<String, String> annotations = new HashMap<>();
      annotations.put(ApiLabels.VERSION, null);
      annotations.put(ApiLabels.TOKEN_ISSUED_AT, null);
      annotations.put(ApiLabels.TOKEN_EXPIRES_AT, null);
      in.owned().writeTarget(annotations, new TargetData(TargetSecret.keys(in.credential()))
          .withEndpoint(in.audience()).build());
      return new Served(List.of(
          new ConditionUpdate(TOKEN_READY, false, Conditions.TOKEN_WITHDRAWN,
              "the compromised version's token was removed from the target Secret"),
          new ConditionUpdate(READY, false, Conditions.NO_VALID_VERSION, "the served version was"
              + " reported compromised and withdrawn; rotate in the Reloadly portal, update the"
              + " source (re-seal and commit, or update the Secret) and the new version is served"
              + " at once")), Optional.empty(), null, false);
    }
    String why = in.sourceReady()
        ? "no version has been accepted by Reloadly yet; see CredentialValid"
        : "the source cannot be read; see SourceReady";
    return new Served(List.of(new ConditionUpdate(READY, false,
        openIncident || in.sourceReady() ? Conditions.NO_VALID_VERSION
            : Conditions.SOURCE_NOT_READY,
        why + "; target Secret " + in.owned().targetName() + " left as it was")),
        Optional.empty(), servedExpiry(in.owned().target()), false);
  }

  /** Whether the target Secret exists and serves {@code fingerprint}. */
  private static boolean servesVersion(Optional<Secret> target, String fingerprint) {
    return target.map(t -> t.getMetadata().getAnnotations())
        .map(a -> fingerprint.equals(a.get(ApiLabels.VERSION))).orElse(false);
  }

  /** The expiry of the token a target Secret serves, as its annotation says. */
  private static String servedExpiry(Optional<Secret> target) {
    return target.flatMap(t -> ServedToken.from(t.getMetadata().getAnnotations()))
        .map(s -> s.expiresAt().toString()).orElse(null);
  }

  /** A null value counts as absent, as a merge patch with null means "remove". */
  static boolean forcedRefresh(ReloadlyCredential credential) {
    Map<String, String> annotations = credential.getMetadata().getAnnotations();
    return annotations != null && annotations.get(ApiLabels.REFRESH_TOKEN) != null;
  }
}
