package dev.reloadly.operator.testing;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;

/**
 * What a person does to one secretRef credential in a test, and what the test reads back: rotate
 * its source, the version its target serves, a condition's reason, a version's state.
 */
public final class CredentialSteps {
  private final OperatorHarness harness;
  private final String name;
  private final String source;
  private final String clientId;
  private final Duration wait;

  public CredentialSteps(OperatorHarness harness, String name, String source, String clientId,
      Duration wait) {
    this.harness = harness;
    this.name = name;
    this.source = source;
    this.clientId = clientId;
    this.wait = wait;
  }

  /** Rotates to {@code secret} in the simulator and the source; returns the newly served version. */
  public String rotate(String secret) {
    String before = servedVersion();
    harness.simulator().rotateCredential(clientId, secret);
    offer(secret);
    return await().atMost(wait).until(this::servedVersion, v -> v != null && !v.equals(before));
  }

  /**
   * Puts {@code secret} in the source, as a person updating the Secret does. Reloadly (the
   * simulator) accepts it only if told first, as {@link #rotate} does; else it is rejected, as a
   * mistyped secret would be.
   */
  public void offer(String secret) {
    harness.client().resource(new SecretBuilder(harness.secret(source))
        .withData(Map.of("client_id", b64(clientId), "client_secret", b64(secret))).build())
        .update();
  }

  /** Sets an annotation on the credential, e.g. the compromise report, by merge patch. */
  public void annotate(String key, String value) {
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  public String awaitServedVersion() {
    return await().atMost(wait).until(this::servedVersion, v -> v != null);
  }

  /** The version the target Secret serves, or null. */
  public String servedVersion() {
    Secret target = harness.secret(name + "-reloadly");
    return target == null || target.getMetadata().getAnnotations() == null ? null
        : target.getMetadata().getAnnotations().get(ApiLabels.VERSION);
  }

  public String reason(String conditionType) {
    return harness.condition(name, conditionType).map(Condition::getReason).orElse(null);
  }

  /** The state of a version in status, or "absent". */
  public String state(String fingerprint) {
    return harness.credential(name).getStatus().getVersions().stream()
        .filter(v -> v.getFingerprint().equals(fingerprint))
        .map(CredentialVersionStatus::getState).findFirst().orElse("absent");
  }


  /**
   * Changes only a label of the source Secret: the operator reconciles, with nothing to do.
   * Returns the reconcile count from before, for {@link OperatorHarness#awaitReconcileAfter}.
   */
  public long touchSource() {
    long before = harness.reconciles();
    harness.client().secrets().inNamespace(NAMESPACE).withName(source).edit(s -> {
      s.getMetadata().getLabels().put("touched", Long.toString(System.nanoTime()));
      return s;
    });
    return before;
  }
}
