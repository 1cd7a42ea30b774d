package dev.reloadly.operator.source;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.Optional;

/**
 * A client for the Secret metadata informer: its list and watch requests of Secret collections ask
 * the API server for {@code PartialObjectMetadata}, so a real API server sends names, namespaces,
 * labels, annotations and resourceVersions but never a Secret's data. Fabric8 has no DSL for
 * this; the Accept header is set the way client-go's metadata client sets it.
 *
 * <p>Each header ends with plain {@code application/json}: a server that cannot convert answers
 * with whole objects instead of 406, and {@link SecretMetadataStore} drops the data on arrival.
 */
public final class MetadataOnlyClient {
  static final String LIST_ACCEPT =
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
  static final String WATCH_ACCEPT =
      "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
  private static final String INTERCEPTOR = "partial-object-metadata";

  private MetadataOnlyClient() {}

  /** A new client with the same configuration as {@code client}; the caller closes it. */
  public static KubernetesClient derive(KubernetesClient client) {
    Config config = client.getConfiguration();
    return new KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(INTERCEPTOR,
            new Interceptor() {
              @Override
              public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                acceptFor(request.uri()).ifPresent(accept -> builder.setHeader("Accept", accept));
              }
            }))
        .build();
  }

  /** The Accept header for a list or watch of a Secret collection; nothing for other requests. */
  static Optional<String> acceptFor(URI uri) {
    String path = uri.getPath();
    if (path == null || !path.endsWith("/secrets")) {
      return Optional.empty();
    }
    String query = uri.getQuery();
    boolean watch = query != null && (query.contains("watch=true") || query.contains("watch=1"));
    return Optional.of(watch ? WATCH_ACCEPT : LIST_ACCEPT);
  }
}
