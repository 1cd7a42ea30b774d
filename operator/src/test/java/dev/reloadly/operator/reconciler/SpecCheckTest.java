package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.TokenPolicy;
import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.DnsPeer;
import dev.reloadly.operator.api.v1alpha1.EgressSpec;
import dev.reloadly.operator.api.v1alpha1.TargetKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the reconciler refuses when the schema did not (an old CRD, validation off). */
class SpecCheckTest {
  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of("no environment", (Consumer<ReloadlyCredentialSpec>) s -> s.setEnvironment(null),
            "spec.environment is required"),
        Arguments.of("no owner email", (Consumer<ReloadlyCredentialSpec>) s -> s.getOwner().setEmail(" "),
            "spec.owner.email is required"),
        Arguments.of("both sources", (Consumer<ReloadlyCredentialSpec>) s -> s.getSource()
            .setSealed(new dev.reloadly.operator.api.v1alpha1.SealedSource("a", "b")),
            "exactly one of sealed and secretRef"),
        Arguments.of("maxAge over 90 days", (Consumer<ReloadlyCredentialSpec>) s -> {
          RotationPolicy r = new RotationPolicy();
          r.setMaxAge("91d");
          s.setRotation(r);
        }, "at most 90 days"),
        Arguments.of("garbage duration", (Consumer<ReloadlyCredentialSpec>) s -> {
          RotationPolicy r = new RotationPolicy();
          r.setGracePeriod("soon");
          s.setRotation(r);
        }, "spec.rotation.gracePeriod"),
        Arguments.of("tokens off in token mode", (Consumer<ReloadlyCredentialSpec>) s -> {
          TokenPolicy t = new TokenPolicy();
          t.setEnabled(false);
          s.setToken(t);
        }, "spec.target.mode must be credentials"),
        // Found by SpecFuzzTest. Without the schema a list can hold null entries: they threw a
        // NullPointerException out of the check (and the reconcile), not a condition.
        Arguments.of("a null destination CIDR", egress(e -> e.setDestinationCIDRs(nulls())),
            "spec.egress.destinationCIDRs"),
        Arguments.of("a null allowlisted IP", egress(e -> e.setAllowlistedIPs(nulls())),
            "spec.egress.allowlistedIPs"),
        Arguments.of("a null proxy port", egress(e -> e.setProxyPorts(nulls())),
            "spec.egress.proxyPorts"),
        Arguments.of("a null egress rule", egress(e -> e.setAdditionalEgress(nulls())),
            "spec.egress.additionalEgress"),
        Arguments.of("a null DNS pod label", egress(e -> {
          DnsPeer dns = new DnsPeer();
          Map<String, String> labels = new HashMap<>();
          labels.put("k8s-app", null);
          dns.setPodLabels(labels);
          e.setDns(dns);
        }), "spec.egress.dns.podLabels"),
        Arguments.of("a null workload", (Consumer<ReloadlyCredentialSpec>) s -> {
          Consumers consumers = new Consumers();
          consumers.setWorkloads(nulls());
          s.setConsumers(consumers);
        }, "spec.consumers.workloads"),
        // Found by SpecFuzzTest: a target name or key the API server refuses failed every write
        // of the target (an error loop with no condition).
        Arguments.of("a target name with an empty part", (Consumer<ReloadlyCredentialSpec>) s ->
            s.getTarget().setSecretName("shop..token"), "spec.target.secretName"),
        Arguments.of("a target name in capitals", (Consumer<ReloadlyCredentialSpec>) s ->
            s.getTarget().setSecretName("Shop"), "spec.target.secretName"),
        Arguments.of("a target key '.'", (Consumer<ReloadlyCredentialSpec>) s -> {
          TargetKeys keys = new TargetKeys();
          keys.setAccessToken(".");
          s.getTarget().setKeys(keys);
        }, "spec.target.keys.accessToken"),
        Arguments.of("a target key with a slash", (Consumer<ReloadlyCredentialSpec>) s -> {
          TargetKeys keys = new TargetKeys();
          keys.setClientSecret("a/b");
          s.getTarget().setKeys(keys);
        }, "spec.target.keys.clientSecret"));
  }

  private static Consumer<ReloadlyCredentialSpec> egress(Consumer<EgressSpec> change) {
    return s -> {
      EgressSpec egress = new EgressSpec();
      change.accept(egress);
      s.setEgress(egress);
    };
  }

  /** A list holding one null, as Jackson reads JSON {@code [null]}. */
  private static <T> List<T> nulls() {
    List<T> list = new ArrayList<>();
    list.add(null);
    return list;
  }

  /**
   * Found by SpecFuzzTest: the problem quotes the value it refuses, which without the schema can
   * span lines or be megabytes long; it goes into conditions and an Event as one bounded line.
   */
  @Test
  void problemIsOneBoundedLineWhateverTheValue() {
    ReloadlyCredentialSpec spec = secretRefCredential("shop", "src", TargetMode.TOKEN).getSpec();
    RotationPolicy rotation = new RotationPolicy();
    rotation.setMaxAge("\n!" + "9".repeat(5_000) + "x");
    spec.setRotation(rotation);

    assertThat(SpecCheck.problem(spec)).hasValueSatisfying(m -> assertThat(m)
        .startsWith("spec.rotation.maxAge: Invalid duration").doesNotContain("\n")
        .hasSizeLessThanOrEqualTo(1024));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void refusedWithAClearMessage(String name, Consumer<ReloadlyCredentialSpec> change,
      String expected) {
    ReloadlyCredentialSpec spec = secretRefCredential("shop", "src", TargetMode.TOKEN).getSpec();
    assertThat(SpecCheck.problem(spec)).isEmpty();
    change.accept(spec);
    assertThat(SpecCheck.problem(spec)).hasValueSatisfying(m -> assertThat(m).contains(expected));
  }
}
