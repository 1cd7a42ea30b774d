package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One workload, by kind and name, in the credential's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {
  @Required
  @JsonPropertyDescription("Kind of the workload.")
  private WorkloadKind kind;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the workload, in the credential's namespace.")
  private String name;

  public WorkloadKind getKind() { return kind; }
  public void setKind(WorkloadKind kind) { this.kind = kind; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
