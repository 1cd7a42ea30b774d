package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** The cluster DNS the consumers' egress policy allows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsPeer {
  @Size(max = 63)
  @JsonPropertyDescription("Namespace of the DNS pods. Default kube-system.")
  private String namespace;

  @JsonPropertyDescription("Labels of the DNS pods. Default k8s-app: kube-dns.")
  private Map<String, String> podLabels;

  public String getNamespace() { return namespace; }
  public void setNamespace(String v) { this.namespace = v; }
  public Map<String, String> getPodLabels() { return podLabels; }
  public void setPodLabels(Map<String, String> v) { this.podLabels = v; }
}
