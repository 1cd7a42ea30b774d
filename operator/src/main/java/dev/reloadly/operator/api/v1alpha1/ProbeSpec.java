package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/** The egress probe: a short-lived Job on a NAT node that calls Reloadly through the NAT path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeSpec {
  public static final String DEFAULT_INTERVAL = "6h";

  @Default("false")
  @JsonPropertyDescription("Run the probe (needs a token in the target Secret: mode token or"
      + " both).")
  private Boolean enabled;

  @Default(DEFAULT_INTERVAL)
  @Pattern(DurationFormat.PATTERN)
  @Size(max = DurationFormat.MAX_LENGTH)
  @JsonPropertyDescription("How often the probe runs. Default 6h.")
  private String interval;

  @Size(max = 512)
  @JsonPropertyDescription("Image of the probe: it needs sh and curl. Default: the operator's"
      + " --probe-image.")
  private String image;

  @Size(max = 16)
  @JsonPropertyDescription("Tolerations of the probe's pod, for tainted NAT nodes.")
  private List<Toleration> tolerations;

  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean v) { this.enabled = v; }
  public String getInterval() { return interval; }
  public void setInterval(String v) { this.interval = v; }
  public String getImage() { return image; }
  public void setImage(String v) { this.image = v; }
  public List<Toleration> getTolerations() { return tolerations; }
  public void setTolerations(List<Toleration> v) { this.tolerations = v; }
}
