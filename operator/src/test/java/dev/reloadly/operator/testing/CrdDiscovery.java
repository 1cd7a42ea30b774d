package dev.reloadly.operator.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Answers API discovery for one custom resource's group and version, as a cluster that has its
 * CRD installed does; the CRUD test server stores any resource but discovers none.
 */
public final class CrdDiscovery extends Dispatcher {
  private final Dispatcher delegate;
  private final String path;
  private final String body;

  public CrdDiscovery(Dispatcher delegate, String groupVersion, String kind, String plural,
      boolean namespaced) {
    this.delegate = delegate;
    this.path = "/apis/" + groupVersion;
    this.body = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
        + groupVersion + "\",\"resources\":[{\"name\":\"" + plural + "\",\"singularName\":\""
        + kind.toLowerCase(java.util.Locale.ROOT) + "\",\"namespaced\":" + namespaced
        + ",\"kind\":\"" + kind + "\",\"verbs\":[\"get\",\"list\",\"watch\",\"patch\","
        + "\"update\",\"create\",\"delete\"]}]}";
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String requested = request.getPath();
    if ("GET".equals(request.getMethod())
        && (requested.equals(path) || requested.startsWith(path + "?"))) {
      return new MockResponse().setResponseCode(200).setBody(body);
    }
    return delegate.dispatch(request);
  }
}
