package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.TokenPolicy;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
        }, "spec.target.mode must be credentials"));
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
