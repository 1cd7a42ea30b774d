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
import dev.reloadly.operator.lifecycle.ValidationBackoff;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.target.OwnedSecretWriter;
import dev.reloadly.operator.target.TargetData;
import dev.reloadly.operator.target.TargetSecret;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.ServedToken;
import dev.reloadly.operator.token.TokenResult;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the current version through the target Secret: credentials and/or a bearer token,
 * minted only when the served one is due for refresh, and withdrawn after a compromise.
 */
public final class TargetServing {
  private final ReloadlyTokenClient tokens;
  private final ValidationBackoff backoff;

  public TargetServing(ReloadlyTokenClient tokens, ValidationBackoff backoff) {
    this.tokens = tokens;
    this.backoff = backoff;
  }

  record Request(ReloadlyCredential credential, KubernetesClient client, OwnedSecrets owned,
      CredentialLifecycle.Outcome outcome, Optional<CredentialLifecycle.Offer> offer,
      CredentialPolicy policy, StoredVersions.Crypto crypto, StatusDraft status, Requeue requeue,
      Instant now) {}

  void serve(Request r) {
    VersionLedger ledger = r.outcome().stored().ledger();
    String audience = r.credential().getSpec().getProduct()
        .baseUrl(r.credential().getSpec().getEnvironment());
    TargetSecret.Keys keys = TargetSecret.keys(r.credential());
    Optional<CredentialVersion> current = ledger.current();
    if (current.isEmpty()) {
      withdrawOrWait(r, ledger, keys, audience);
      return;
    }
    String fingerprint = current.get().fingerprint();
    boolean fromOffer = r.offer().map(o -> o.fingerprint().equals(fingerprint)).orElse(false);
    CredentialMaterial material;
    try {
      material = fromOffer ? r.offer().get().material()
          : r.outcome().stored().open(fingerprint, r.crypto()).orElseThrow(() ->
              new IllegalStateException("no value for current version " + fingerprint));
    } catch (StoreDecryptionException | IllegalStateException e) {
      // The target keeps what it serves; only a person can restore a lost key or store.
      r.status().condition(READY, false, Conditions.STORE_DAMAGED, "the store Secret "
          + r.owned().storeName() + " cannot give back version " + fingerprint + " ("
          + (e instanceof StoreDecryptionException d ? d.reason() : "missing value")
          + "); the target Secret is left as it was. Update the source to store it again.");
      return;
    }
    Optional<TokenResult.Issued> fresh = r.outcome().token();
    try {
      TargetMode mode = TargetSecret.mode(r.credential());
      TargetData data = new TargetData(keys).withEndpoint(audience);
      Map<String, String> annotations = new HashMap<>();
      annotations.put(ApiLabels.VERSION, fingerprint);
      if (mode.includesCredentials()) {
        data.withCredentials(material);
      }
      boolean wantToken = mode.includesToken() && r.policy().tokenEnabled();
      if (wantToken) {
        fresh = token(r, fingerprint, material, audience, fresh, data, annotations);
      } else {
        annotations.put(ApiLabels.TOKEN_ISSUED_AT, null);
        annotations.put(ApiLabels.TOKEN_EXPIRES_AT, null);
        r.status().status().setTokenExpiresAt(null);
      }
      OwnedSecretWriter.Outcome written = r.owned().writeTarget(annotations, data.build());
      if (written == OwnedSecretWriter.Outcome.CONFLICT) {
        r.status().condition(READY, false, Conditions.TARGET_CONFLICT, "Secret "
            + r.owned().targetName() + " exists and is not owned by this credential; it is left"
            + " untouched. Delete it or set spec.target.secretName to another name.");
      } else {
        r.owned().deleteStaleTargets(r.client());
        readiness(r, fingerprint, wantToken && !data.hasToken());
      }
      if (fresh.isPresent() && forcedRefresh(r.credential())) {
        clearForcedRefresh(r);
      }
    } finally {
      fresh.ifPresent(TokenResult.Issued::wipe);
      if (!fromOffer) {
        material.close();
      }
    }
  }

  /** Ready once the target is written: true unless the source or the token needs attention. */
  private static void readiness(Request r, String fingerprint, boolean tokenMissing) {
    if (!Conditions.isTrue(r.status().status().getConditions(), Conditions.SOURCE_READY)) {
      r.status().condition(READY, false, Conditions.SOURCE_NOT_READY, "the source cannot be"
          + " read; target Secret " + r.owned().targetName() + " keeps serving version "
          + fingerprint + " from the store");
    } else if (tokenMissing) {
      r.status().condition(READY, false, Conditions.TOKEN_REQUEST_FAILED,
          "no bearer token could be minted yet; see TokenReady");
    } else {
      r.status().condition(READY, true, Conditions.RECONCILED, "target Secret "
          + r.owned().targetName() + " serves version " + fingerprint);
    }
  }

  /** Mints when due and fills the token part of the target; returns the token it minted. */
  private Optional<TokenResult.Issued> token(Request r, String fingerprint,
      CredentialMaterial material, String audience, Optional<TokenResult.Issued> fresh,
      TargetData data, Map<String, String> annotations) {
    String jitterKey = r.credential().getMetadata().getNamespace() + "/"
        + r.credential().getMetadata().getName();
    Optional<Secret> target = r.owned().target();
    Optional<ServedToken> served = target.flatMap(t -> ServedToken.from(t.getMetadata().getAnnotations()))
        .filter(s -> s.fingerprint().equals(fingerprint));
    boolean forced = forcedRefresh(r.credential());
    boolean due = served.map(s -> s.needsRefresh(fingerprint, r.policy().refresh(), jitterKey, r.now()))
        .orElse(true);
    String backoffKey = "token:" + jitterKey + ":" + fingerprint;
    if (fresh.isEmpty() && (due || forced)) {
      if (backoff.mayTry(backoffKey, r.now())) {
        TokenResult result = tokens.requestToken(material.clientId(), material.clientSecret(), audience);
        if (result instanceof TokenResult.Issued issued) {
          backoff.succeeded(backoffKey);
          fresh = Optional.of(issued);
        } else if (result instanceof TokenResult.Rejected rejected) {
          r.requeue().at(backoff.rejected(backoffKey, r.now(), new ConditionUpdate(TOKEN_READY,
              false, Conditions.TOKEN_REQUEST_FAILED, "Reloadly now rejects current version "
                  + fingerprint + " (" + rejected.errorCode() + "): was it revoked in the portal?")));
        } else if (result instanceof TokenResult.RetryLater later) {
          boolean stillValid = served.filter(s -> s.expiresAt().isAfter(r.now())).isPresent();
          r.requeue().at(backoff.failed(backoffKey, r.now(), later.after(),
              at -> new ConditionUpdate(TOKEN_READY, stillValid, Conditions.TOKEN_REQUEST_FAILED,
                  "token request failed (" + later.cause() + "); retrying at " + at)));
        }
      } else {
        backoff.nextTry(backoffKey).ifPresent(r.requeue()::at);
      }
      if (fresh.isEmpty()) {
        backoff.lastFailure(backoffKey).ifPresent(r.status()::apply);
      }
    }
    if (fresh.isPresent()) {
      TokenResult.Issued issued = fresh.get();
      data.withToken(issued);
      annotations.put(ApiLabels.TOKEN_ISSUED_AT, issued.issuedAt().toString());
      annotations.put(ApiLabels.TOKEN_EXPIRES_AT, issued.expiresAt().toString());
      r.status().status().setTokenExpiresAt(issued.expiresAt().toString());
      r.status().condition(TOKEN_READY, true, Conditions.TOKEN_ISSUED,
          "bearer token valid until " + issued.expiresAt());
      r.requeue().at(r.policy().refresh().refreshAt(issued.issuedAt(), issued.expiresAt(), jitterKey));
    } else if (served.isPresent() && served.get().expiresAt().isAfter(r.now())) {
      ServedToken s = served.get();
      data.withServedToken(target.get().getData());
      annotations.put(ApiLabels.TOKEN_ISSUED_AT, s.issuedAt().toString());
      annotations.put(ApiLabels.TOKEN_EXPIRES_AT, s.expiresAt().toString());
      r.status().status().setTokenExpiresAt(s.expiresAt().toString());
      if (!due && !forced) {
        r.status().condition(TOKEN_READY, true, Conditions.TOKEN_VALID,
            "bearer token valid until " + s.expiresAt());
        r.requeue().at(s.refreshAt(r.policy().refresh(), jitterKey));
      }
    } else {
      annotations.put(ApiLabels.TOKEN_ISSUED_AT, null);
      annotations.put(ApiLabels.TOKEN_EXPIRES_AT, null);
      r.status().status().setTokenExpiresAt(null);
    }
    return fresh;
  }

  /** No current version: after a compromise the target is stripped; otherwise left as it was. */
  private void withdrawOrWait(Request r, VersionLedger ledger, TargetSecret.Keys keys,
      String audience) {
    boolean openIncident = ledger.incidents().stream().anyMatch(i -> i.resolvedAt() == null);
    if (openIncident && r.owned().target().isPresent()) {
      Map<String, String> annotations = new HashMap<>();
      annotations.put(ApiLabels.VERSION, null);
      annotations.put(ApiLabels.TOKEN_ISSUED_AT, null);
      annotations.put(ApiLabels.TOKEN_EXPIRES_AT, null);
      r.owned().writeTarget(annotations, new TargetData(keys).withEndpoint(audience).build());
      r.status().status().setTokenExpiresAt(null);
      r.status().condition(TOKEN_READY, false, Conditions.TOKEN_WITHDRAWN,
          "the compromised version's token was removed from the target Secret");
      r.status().condition(READY, false, Conditions.NO_VALID_VERSION, "the served version was"
          + " reported compromised and withdrawn; rotate in the Reloadly portal, update the source"
          + " (re-seal and commit, or update the Secret) and the new version is served at once");
      return;
    }
    String why = Conditions.isTrue(r.status().status().getConditions(), Conditions.SOURCE_READY)
        ? "no version has been accepted by Reloadly yet; see CredentialValid"
        : "the source cannot be read; see SourceReady";
    r.status().condition(READY, false, openIncident ? Conditions.NO_VALID_VERSION
        : Conditions.isTrue(r.status().status().getConditions(), Conditions.SOURCE_READY)
            ? Conditions.NO_VALID_VERSION : Conditions.SOURCE_NOT_READY,
        why + "; target Secret " + r.owned().targetName() + " left as it was");
  }

  /** A null value counts as absent, as a merge patch with null means "remove". */
  private static boolean forcedRefresh(ReloadlyCredential credential) {
    Map<String, String> annotations = credential.getMetadata().getAnnotations();
    return annotations != null && annotations.get(ApiLabels.REFRESH_TOKEN) != null;
  }

  private static void clearForcedRefresh(Request r) {
    r.client().resources(ReloadlyCredential.class)
        .inNamespace(r.credential().getMetadata().getNamespace())
        .withName(r.credential().getMetadata().getName())
        // A JSON patch "remove": the test server stores a merge patch's null as a value.
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/"
            + ApiLabels.REFRESH_TOKEN.replace("~", "~0").replace("/", "~1") + "\"}]");
  }
}
