package dev.reloadly.operator.source;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Tells which credentials to reconcile when a Secret that does not carry the source label appears,
 * changes or goes, in the namespaces the controller watches. It is a metadata-only informer (the
 * approach of cert-manager's SecretsFilteredCaching): it lists and watches Secrets as
 * {@code PartialObjectMetadata} and keeps only namespace, name and resourceVersion, so the
 * operator learns about such a Secret without writing a label onto it and without holding its
 * data. The reconcile then reads the one referenced Secret by name.
 *
 * <p>Secrets that carry {@value ApiLabels#SOURCE_SELECTOR} are left out: the label-filtered
 * full-object informer holds those, so the two informers never hold the same Secret.
 */
public final class SecretMetadataEventSource<P extends HasMetadata>
    extends InformerEventSource<GenericKubernetesResource, P> {
  /** Every Secret the labelled source informer does not select. */
  public static final String SELECTOR = ApiLabels.SOURCE + "!=true";
  /** Pages of the initial list, as client-go's reflector uses, so no list response is huge. */
  static final long LIST_PAGE = 500;
  private static final GroupVersionKind SECRET = new GroupVersionKind("", "v1", "Secret");

  private final KubernetesClient metadataClient;

  private SecretMetadataEventSource(
      InformerEventSourceConfiguration<GenericKubernetesResource> configuration,
      EventSourceContext<P> context, KubernetesClient metadataClient) {
    super(configuration, context);
    this.metadataClient = metadataClient;
  }

  /**
   * @param mapper from a Secret (namespace and name only) to the credentials that reference it
   */
  public static <P extends HasMetadata> SecretMetadataEventSource<P> create(String name,
      Class<P> primaryType, SecondaryToPrimaryMapper<GenericKubernetesResource> mapper,
      EventSourceContext<P> context) {
    KubernetesClient metadataClient = MetadataOnlyClient.derive(context.getClient());
    return new SecretMetadataEventSource<>(
        InformerEventSourceConfiguration.from(SECRET, primaryType)
            .withName(name)
            .withLabelSelector(SELECTOR)
            .withKubernetesClient(metadataClient)
            .withItemStore(new SecretMetadataStore())
            .withInformerListLimit(LIST_PAGE)
            .withSecondaryToPrimaryMapper(mapper)
            .build(),
        context, metadataClient);
  }

  @Override
  public synchronized void stop() {
    try {
      super.stop();
    } finally {
      metadataClient.close();
    }
  }
}
