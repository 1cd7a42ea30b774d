package dev.reloadly.operator.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.testing.CredentialFixtures;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probe runs only on the NAT nodes the credential selects, however they are selected. */
class ProbeJobsTest {
  private static PodSpec pod(LabelSelector natNodes) {
    return ProbeJobs.build(CredentialFixtures.secretRefCredential("shop", "src", TargetMode.TOKEN),
        "shop-egress-probe-1", "shop-reloadly", "access_token", "https://example.com", "curl:8",
        natNodes, 3128, List.of()).getSpec().getTemplate().getSpec();
  }

  @Test
  void matchExpressionsBecomeRequiredNodeAffinity() {
    PodSpec pod = pod(new LabelSelectorBuilder().withMatchLabels(Map.of("pool", "nat"))
        .addNewMatchExpression().withKey("zone").withOperator("In")
        .withValues("eu-west-1a", "eu-west-1b").endMatchExpression().build());
    assertThat(pod.getNodeSelector()).containsExactlyEntriesOf(Map.of("pool", "nat"));
    assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()).singleElement().satisfies(term -> assertThat(
            term.getMatchExpressions()).containsExactly(new NodeSelectorRequirement("zone", "In",
                List.of("eu-west-1a", "eu-west-1b"))));
  }

  @Test
  void labelsAloneNeedNoAffinity() {
    PodSpec pod = pod(new LabelSelectorBuilder().withMatchLabels(Map.of("pool", "nat")).build());
    assertThat(pod.getAffinity()).isNull();
  }
}
