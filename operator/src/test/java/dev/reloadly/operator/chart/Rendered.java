package dev.reloadly.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the chart rendered, typed. */
record Rendered(List<HasMetadata> objects) {

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The only object of a type; fails when there are none or several. */
  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    assertThat(found).as("rendered %s objects", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  Deployment deployment() {
    return one(Deployment.class);
  }

  PodSpec pod() {
    return deployment().getSpec().getTemplate().getSpec();
  }

  /** The operator's container: the only one, but for the test-only simulator sidecar. */
  Container operator() {
    List<Container> containers = pod().getContainers().stream()
        .filter(c -> !c.getName().equals("reloadly-simulator")).toList();
    assertThat(containers).as("the operator pod's containers").hasSize(1);
    return containers.get(0);
  }

  /** The operator's environment: name to value, or to "fieldRef:<path>" for the downward API. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar variable : operator().getEnv()) {
      String value = variable.getValueFrom() == null ? variable.getValue()
          : "fieldRef:" + variable.getValueFrom().getFieldRef().getFieldPath();
      assertThat(env.put(variable.getName(), value)).as("%s set twice", variable.getName())
          .isNull();
    }
    return env;
  }
}
