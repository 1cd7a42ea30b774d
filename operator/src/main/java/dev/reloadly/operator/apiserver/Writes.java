package dev.reloadly.operator.apiserver;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Write shapes the stores of the operator's own objects share. */
public final class Writes {
  private Writes() {}

  /**
   * Creates through {@code create} (which also feeds the cache); false when an object of that
   * name exists already, which the caller then leaves alone.
   */
  public static <T> boolean createUnlessTaken(T desired, Consumer<T> create) {
    try {
      create.accept(desired);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /**
   * A JSON patch that replaces the spec whole: lists in it are replaced, never merged item by
   * item (the test API server merges the arrays of a JSON merge patch; a real one replaces them).
   */
  public static String replaceSpec(KubernetesClient client, Object spec) {
    return client.getKubernetesSerialization().asJson(List.of(Map.of("op", "replace",
        "path", "/spec", "value", spec)));
  }
}
