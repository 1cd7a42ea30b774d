package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
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
  @JsonPropertyDescription("How many workloads are rolled at the same time (ignored after a compromise).")
  private Integer maxConcurrent;

  @Default("false")
  @JsonPropertyDescription("Also restart workloads found reading the target Secret that the spec"
      + " does not name. Off by default: they are listed in status.consumers and announced by a"
      + " Warning Event, not restarted.")
  private Boolean includeDiscovered;

  @Default("false")
  @JsonPropertyDescription("Write a Role that lets only the consumers' service accounts get the"
      + " target Secret (resourceNames), and a RoleBinding to them (guidelines B3, C4).")
  private Boolean grantAccess;

  public Boolean getGrantAccess() { return grantAccess; }
  public void setGrantAccess(Boolean v) { this.grantAccess = v; }

  @Default("10s")
  @Pattern(DurationFormat.PATTERN)
  @Size(max = DurationFormat.MAX_LENGTH)
  @JsonPropertyDescription("Restarts begin this long after a change is seen, so changes within it"
      + " coalesce into one restart per workload. Not applied after a compromise.")
  private String delay;

  @Default("10m")
  @Pattern(DurationFormat.PATTERN)
  @Size(max = DurationFormat.MAX_LENGTH)
  @JsonPropertyDescription("A workload not healthy this long after its restart began stalls the"
      + " rollout (RolloutComplete=False, reason RolloutStalled); the previous version is kept.")
  private String timeout;

  public Boolean getIncludeDiscovered() { return includeDiscovered; }
  public void setIncludeDiscovered(Boolean v) { this.includeDiscovered = v; }
  public String getDelay() { return delay; }
  public void setDelay(String v) { this.delay = v; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String v) { this.timeout = v; }
  public List<WorkloadRef> getWorkloads() { return workloads; }
  public void setWorkloads(List<WorkloadRef> workloads) { this.workloads = workloads; }
  public LabelSelector getSelector() { return selector; }
  public void setSelector(LabelSelector selector) { this.selector = selector; }
  public RolloutStrategy getStrategy() { return strategy; }
  public void setStrategy(RolloutStrategy strategy) { this.strategy = strategy; }
  public Integer getMaxConcurrent() { return maxConcurrent; }
  public void setMaxConcurrent(Integer maxConcurrent) { this.maxConcurrent = maxConcurrent; }
}
