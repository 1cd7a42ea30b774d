package dev.reloadly.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ConsumerStatus;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The short fields kubectl get prints, derived from the lists they summarise. */
class StatusViewsTest {
  static final String CURRENT = "hmac-sha256:0123456789abcdef0123456789abcdef";
  static final String PREVIOUS = "hmac-sha256:fedcba9876543210fedcba9876543210";

  @Test
  void currentVersionIsTheStartOfTheCurrentFingerprint() {
    ReloadlyCredentialStatus status = new ReloadlyCredentialStatus();
    status.setVersions(List.of(version("hmac-sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "pending"),
        version(CURRENT, "current"), version(PREVIOUS, "previous")));

    StatusViews.summaries(status);

    assertThat(status.getCurrentVersion()).isEqualTo("0123456789ab");
  }

  @Test
  void noCurrentVersionLeavesItOut() {
    ReloadlyCredentialStatus status = new ReloadlyCredentialStatus();
    status.setCurrentVersion("0123456789ab");
    status.setVersions(List.of(version(CURRENT, "compromised")));

    StatusViews.summaries(status);

    assertThat(status.getCurrentVersion()).isNull();
    assertThat(json(status)).doesNotContain("currentVersion");
  }

  @Test
  void consumerCountIsWrittenEvenWhenZero() {
    ReloadlyCredentialStatus status = new ReloadlyCredentialStatus();

    StatusViews.summaries(status);

    assertThat(json(status)).contains("\"consumerCount\":0").doesNotContain("\"consumers\"");
    status.setConsumers(List.of(new ConsumerStatus(), new ConsumerStatus()));
    StatusViews.summaries(status);
    assertThat(status.getConsumerCount()).isEqualTo(2);
  }

  @Test
  void aSteadyStatusDerivesTheSameSummariesAndIsNoChange() {
    ReloadlyCredentialStatus observed = new ReloadlyCredentialStatus();
    observed.setVersions(List.of(version(CURRENT, "current")));
    StatusViews.summaries(observed);

    StatusDraft draft = new StatusDraft(observed, null, java.time.Instant.EPOCH);
    StatusViews.summaries(draft.status());

    assertThat(draft.changed()).isFalse();
  }

  private static CredentialVersionStatus version(String fingerprint, String state) {
    return new CredentialVersionStatus(fingerprint, state, null, null, null);
  }

  private static String json(ReloadlyCredentialStatus status) {
    return new KubernetesSerialization().asJson(status);
  }
}
