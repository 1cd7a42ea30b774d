package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The last egress probe. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeStatus {
  @JsonPropertyDescription("Name of the probe Job last started.")
  private String job;

  @JsonPropertyDescription("When it was started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When its result was read (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("The HTTP status Reloadly answered, when it answered.")
  private Integer httpStatus;

  @JsonPropertyDescription("The source IP Reloadly saw, when its answer carries it.")
  private String sourceIP;

  public String getJob() { return job; }
  public void setJob(String v) { this.job = v; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String v) { this.startedAt = v; }
  public String getFinishedAt() { return finishedAt; }
  public void setFinishedAt(String v) { this.finishedAt = v; }
  public Integer getHttpStatus() { return httpStatus; }
  public void setHttpStatus(Integer v) { this.httpStatus = v; }
  public String getSourceIP() { return sourceIP; }
  public void setSourceIP(String v) { this.sourceIP = v; }

  public ProbeStatus copy() {
    ProbeStatus c = new ProbeStatus();
    c.job = job;
    c.startedAt = startedAt;
    c.finishedAt = finishedAt;
    c.httpStatus = httpStatus;
    c.sourceIP = sourceIP;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProbeStatus p && Objects.equals(job, p.job)
        && Objects.equals(startedAt, p.startedAt) && Objects.equals(finishedAt, p.finishedAt)
        && Objects.equals(httpStatus, p.httpStatus) && Objects.equals(sourceIP, p.sourceIP);
  }

  @Override
  public int hashCode() {
    return Objects.hash(job, startedAt, finishedAt, httpStatus, sourceIP);
  }
}
