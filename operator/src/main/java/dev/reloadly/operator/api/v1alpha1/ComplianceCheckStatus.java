package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One compliance check's result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComplianceCheckStatus {
  @JsonPropertyDescription("The guideline IDs it checks, e.g. C5 or B3,C4.")
  private String id;

  @JsonPropertyDescription("Name of the check, e.g. RotationWithinMaxAge.")
  private String name;

  @JsonPropertyDescription("Pass, Fail, Warn or Skip.")
  private String result;

  @JsonPropertyDescription("Why, in one line.")
  private String message;

  @JsonPropertyDescription("Since when it has had this result (RFC 3339).")
  private String since;

  public ComplianceCheckStatus() {}

  public ComplianceCheckStatus(String id, String name, String result, String message,
      String since) {
    this.id = id;
    this.name = name;
    this.result = result;
    this.message = message;
    this.since = since;
  }

  public String getId() { return id; }
  public void setId(String v) { this.id = v; }
  public String getName() { return name; }
  public void setName(String v) { this.name = v; }
  public String getResult() { return result; }
  public void setResult(String v) { this.result = v; }
  public String getMessage() { return message; }
  public void setMessage(String v) { this.message = v; }
  public String getSince() { return since; }
  public void setSince(String v) { this.since = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ComplianceCheckStatus c && Objects.equals(id, c.id)
        && Objects.equals(name, c.name) && Objects.equals(result, c.result)
        && Objects.equals(message, c.message) && Objects.equals(since, c.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, result, message, since);
  }
}
