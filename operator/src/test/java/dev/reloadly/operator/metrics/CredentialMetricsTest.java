package dev.reloadly.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class CredentialMetricsTest {
  @Test
  void gaugesFollowTheLatestObservationPerCredential() {
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    CredentialMetrics metrics = new CredentialMetrics(registry);

    metrics.observe("payments", "shop", new CredentialMetrics.Observation(true, true, false, true, false));
    metrics.observe("payments", "other", new CredentialMetrics.Observation(false, false, false, false, false));
    assertThat(registry.scrape())
        .contains("reloadly_credential_rotation_due{credential=\"shop\",namespace=\"payments\"} 1")
        .contains("reloadly_credential_sealing_key_old{credential=\"shop\",namespace=\"payments\"} 1")
        .contains("reloadly_credential_ready{credential=\"other\",namespace=\"payments\"} 0");

    metrics.observe("payments", "shop", new CredentialMetrics.Observation(true, false, false, false, false));
    assertThat(registry.scrape())
        .contains("reloadly_credential_rotation_due{credential=\"shop\",namespace=\"payments\"} 0");
  }
}
