package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** The workloads that use the target Secret and how they are rolled. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Consumers {
  @Size(max = 64)
  @JsonPropertyDescription("Workloads named one by one.")
  private List<WorkloadRef> workloads;

  @JsonPropertyDescription("Workloads chosen by label, in the credential's namespace.")
  private LabelSelector selector;

  @Default("restart")
  @JsonPropertyDescription(
      "restart (rolling restart, the default), evict (PDB-respecting eviction) or none.")
  private RolloutStrategy strategy;

  @Default("1")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("How many workloads are rolled at the same time.")
  private Integer maxConcurrent;

  public List<WorkloadRef> getWorkloads() { return workloads; }
  public void setWorkloads(List<WorkloadRef> workloads) { this.workloads = workloads; }
  public LabelSelector getSelector() { return selector; }
  public void setSelector(LabelSelector selector) { this.selector = selector; }
  public RolloutStrategy getStrategy() { return strategy; }
  public void setStrategy(RolloutStrategy strategy) { this.strategy = strategy; }
  public Integer getMaxConcurrent() { return maxConcurrent; }
  public void setMaxConcurrent(Integer maxConcurrent) { this.maxConcurrent = maxConcurrent; }
}
