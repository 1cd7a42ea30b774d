package dev.reloadly.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Paths become the (verb, resource, namespace, name) kube-apiserver authorizes. */
class ApiRequestTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET | /api/v1/namespaces/payments/secrets/src | get secrets src in namespace payments",
      "GET | /api/v1/namespaces/payments/secrets?labelSelector=a%3Db | list secrets in namespace payments",
      "GET | /api/v1/secrets?labelSelector=a%3Db&watch=true | watch secrets (all namespaces or cluster scope)",
      "GET | /api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Dkeys&watch=true | watch secrets keys in namespace ns",
      "GET | /api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Dkeys | list secrets keys in namespace ns",
      "POST | /api/v1/namespaces/payments/events | create events in namespace payments",
      "PUT | /api/v1/namespaces/ns/configmaps/c | update configmaps c in namespace ns",
      "PATCH | /apis/security.reloadly.dev/v1alpha1/namespaces/p/reloadlycredentials/shop/status | patch security.reloadly.dev/reloadlycredentials/status shop in namespace p",
      "DELETE | /api/v1/namespaces/p/secrets/old | delete secrets old in namespace p",
      "DELETE | /api/v1/namespaces/p/secrets | deletecollection secrets in namespace p",
      "GET | /api/v1/namespaces/p | get namespaces p (all namespaces or cluster scope)",
      "PATCH | /apis/coordination.k8s.io/v1/namespaces/s/leases/l | patch coordination.k8s.io/leases l in namespace s",
  })
  void parsesAsTheApiServerDoes(String method, String path, String expected) {
    assertThat(ApiRequest.parse(method, path)).hasValueSatisfying(
        r -> assertThat(r.toString()).isEqualTo(expected));
  }

  @ParameterizedTest
  @CsvSource({"/version", "/apis", "/api/v1", "/apis/coordination.k8s.io/v1"})
  void discoveryIsNotAResourceRequest(String path) {
    assertThat(ApiRequest.parse("GET", path)).isEmpty();
  }
}
