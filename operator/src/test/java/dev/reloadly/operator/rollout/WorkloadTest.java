package dev.reloadly.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.testing.Workloads.Reading;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Discovery reads each way a pod template can read a Secret, and trimming keeps only that. */
class WorkloadTest {
  static final String TARGET = "shop-reloadly";

  @ParameterizedTest
  @CsvSource({
      "ENV_TOKEN, env, true",
      "ENV_ID, env, false",
      "ENV_FROM, env, true",
      "VOLUME, file, false",
      "PROJECTED, file, false",
      "NONE, none, false"})
  void eachWayOfReadingTheSecretIsFound(Reading reading, String word, boolean tokenByEnv) {
    for (GenericKubernetesResource resource : List.of(
        Workloads.workload(WorkloadKind.Deployment, "payments", "api", TARGET, reading),
        WorkloadTrim.trim(
            Workloads.workload(WorkloadKind.Deployment, "payments", "api", TARGET, reading)))) {
      Reads reads = Workload.from(resource).orElseThrow().reads(TARGET, "access_token");
      assertThat(reads.word()).isEqualTo(word);
      assertThat(reads.tokenByEnv()).isEqualTo(tokenByEnv);
    }
  }

  @Test
  void envAndFileTogetherReadAsBothAndOtherSecretsAreNotReads() {
    Workload w = Workload.from(Workloads.workload(WorkloadKind.StatefulSet, "payments", "db",
        TARGET, Reading.ENV_ID, Reading.VOLUME)).orElseThrow();
    assertThat(w.reads(TARGET, "access_token").word()).isEqualTo("both");
    assertThat(w.reads("another-secret", "access_token").any()).isFalse();
  }

  @Test
  void initContainersCountToo() {
    GenericKubernetesResource resource =
        Workloads.workload(WorkloadKind.DaemonSet, "payments", "agent", TARGET, Reading.NONE);
    @SuppressWarnings("unchecked")
    Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String,
        Object>) resource.getAdditionalProperties().get("spec")).get("template")).get("spec");
    podSpec.put("initContainers", List.of(Map.of("name", "init", "envFrom",
        List.of(Map.of("secretRef", Map.of("name", TARGET))))));
    assertThat(Workload.from(WorkloadTrim.trim(resource)).orElseThrow()
        .reads(TARGET, "access_token").word()).isEqualTo("env");
  }

  @Test
  void trimmingDropsEverythingButWhatTheRolloutReads() {
    GenericKubernetesResource full =
        Workloads.workload(WorkloadKind.Deployment, "payments", "api", TARGET, Reading.ENV_ID);
    full.getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration",
        "{\"huge\":true}"));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) full.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> template = new java.util.HashMap<>((Map<String, Object>) spec.get("template"));
    template.put("metadata", Map.of("annotations", Map.of(ApiLabels.RESTARTED_FOR, "v1",
        "other", "x"), "labels", Map.of("app", "api")));
    spec.put("template", template);
    full.setAdditionalProperty("status", Map.of("observedGeneration", 3, "replicas", 2,
        "conditions", List.of(Map.of("type", "Progressing", "status", "False", "reason",
            "ProgressDeadlineExceeded", "message", "a long message"))));

    GenericKubernetesResource trimmed = WorkloadTrim.trim(full);
    String json = new KubernetesSerialization().asJson(trimmed);
    assertThat(json).doesNotContain("example.com/app:1").doesNotContain("last-applied")
        .doesNotContain("a long message").doesNotContain("\"other\"");
    Workload w = Workload.from(trimmed).orElseThrow();
    assertThat(w.restartedFor()).isEqualTo("v1");
    assertThat(w.matchLabels()).containsEntry("app", "api");
    assertThat(w.labels()).containsEntry("tier", "payments");
    assertThat(WorkloadHealth.of(w, 3).stalled()).isTrue();
  }

  @Test
  void anUnknownKindIsNotAWorkload() {
    GenericKubernetesResource job = new GenericKubernetesResource();
    job.setKind("Job");
    assertThat(Workload.from(job)).isEmpty();
  }

  @Test
  void aSelectorWithExpressionsIsKept() {
    GenericKubernetesResource full =
        Workloads.workload(WorkloadKind.Deployment, "payments", "api", TARGET, Reading.VOLUME);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) full.getAdditionalProperties().get("spec");
    spec.put("selector", Map.of("matchExpressions", List.of(Map.of("key", "app",
        "operator", "In", "values", List.of("api", "api-canary")))));
    Workload w = Workload.from(WorkloadTrim.trim(full)).orElseThrow();
    assertThat(w.selector().getMatchExpressions()).singleElement()
        .satisfies(e -> assertThat(e.getValues()).containsExactly("api", "api-canary"));
  }
}
