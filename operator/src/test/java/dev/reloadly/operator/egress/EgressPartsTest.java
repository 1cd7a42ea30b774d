package dev.reloadly.operator.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.EgressSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EgressPartsTest {
  @ParameterizedTest
  @CsvSource({
      "203.0.113.0/24, 203.0.113.7, true",
      "203.0.113.0/24, 203.0.114.7, false",
      "203.0.113.7/32, 203.0.113.7, true",
      "0.0.0.0/0, 198.51.100.1, true",
      "2001:db8::/32, 2001:db8::1, true",
      "2001:db8::/32, 2001:db9::1, false",
      "203.0.113.0/24, 2001:db8::1, false",
      "203.0.113.0/24, example.com, false"})
  void aCidrHoldsTheAddressesOfItsPrefix(String cidr, String ip, boolean inside) {
    assertThat(Cidr.parse(cidr).contains(ip)).isEqualTo(inside);
  }

  @Test
  void aBadAllowlistEntryIsNamedInTheError() {
    EgressSpec spec = new EgressSpec();
    spec.setAllowlistedIPs(List.of("203.0.113.7/33"));
    assertThatThrownBy(() -> EgressSettings.of(spec))
        .hasMessageContaining("spec.egress.allowlistedIPs").hasMessageContaining("203.0.113.7/33");
  }

  @Test
  void longPolicyNamesAreCutToSixtyThreeWithAHashThatKeepsThemApart() {
    String credential = "payments-checkout-credential-for-the-live-environment";
    String a = EgressPolicies.name(credential, "frontend-api-deployment-number-one");
    String b = EgressPolicies.name(credential, "frontend-api-deployment-number-two");
    assertThat(a).hasSizeLessThanOrEqualTo(63).isNotEqualTo(b);
    assertThat(a).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(EgressPolicies.name("shop", "api")).isEqualTo("shop-egress-api");
  }

  @Test
  void aNodesStableIpIsItsAnnotationElseItsExternalIp() {
    Node annotated = new NodeBuilder().withNewMetadata().withName("a")
        .addToAnnotations(ApiLabels.EGRESS_IP, "203.0.113.9").endMetadata().withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress()
        .addNewAddress().withType("ExternalIP").withAddress("198.51.100.1").endAddress()
        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    assertThat(NatNode.of(annotated)).isEqualTo(new NatNode("a", java.util.Map.of(), "10.0.0.1",
        "203.0.113.9", true));
    Node plain = new NodeBuilder(annotated).editMetadata().withAnnotations(null).endMetadata()
        .build();
    assertThat(NatNode.of(NatNodeTrim.trim(plain)).stableIP()).isEqualTo("198.51.100.1");
  }
}
