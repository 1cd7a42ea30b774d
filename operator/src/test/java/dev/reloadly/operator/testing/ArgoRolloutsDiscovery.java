package dev.reloadly.operator.testing;

import dev.reloadly.operator.demo.EmbeddedApiServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Answers API discovery for argoproj.io/v1alpha1, as a cluster with Argo Rollouts' CRD installed
 * does; the CRUD test server stores Rollouts like any resource but does not discover them.
 */
public final class ArgoRolloutsDiscovery extends Dispatcher {
  static final String PATH = "/apis/argoproj.io/v1alpha1";
  private final Dispatcher delegate;

  private ArgoRolloutsDiscovery(Dispatcher delegate) {
    this.delegate = delegate;
  }

  public static EmbeddedApiServer server() {
    return EmbeddedApiServer.start(ArgoRolloutsDiscovery::new);
  }

  public static Dispatcher wrap(Dispatcher delegate) {
    return new ArgoRolloutsDiscovery(delegate);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    if ("GET".equals(request.getMethod())
        && (path.equals(PATH) || path.startsWith(PATH + "?"))) {
      return new MockResponse().setResponseCode(200).setBody("{\"kind\":\"APIResourceList\","
          + "\"apiVersion\":\"v1\",\"groupVersion\":\"argoproj.io/v1alpha1\",\"resources\":[{"
          + "\"name\":\"rollouts\",\"singularName\":\"rollout\",\"namespaced\":true,"
          + "\"kind\":\"Rollout\",\"verbs\":[\"get\",\"list\",\"watch\",\"patch\",\"update\","
          + "\"create\",\"delete\"]}]}");
    }
    return delegate.dispatch(request);
  }
}
