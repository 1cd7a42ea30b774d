package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Which sealing key a sealed source uses, so old-key credentials can be found and re-sealed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SealingKeyStatus {
  @JsonPropertyDescription("Key id the sealed values were made with.")
  private String keyId;

  @JsonPropertyDescription("False when a newer sealing key exists: re-seal with `reseal`.")
  private Boolean newest;

  public SealingKeyStatus() {}

  public SealingKeyStatus(String keyId, Boolean newest) {
    this.keyId = keyId;
    this.newest = newest;
  }

  public String getKeyId() { return keyId; }
  public void setKeyId(String v) { this.keyId = v; }
  public Boolean getNewest() { return newest; }
  public void setNewest(Boolean v) { this.newest = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealingKeyStatus s && Objects.equals(keyId, s.keyId)
        && Objects.equals(newest, s.newest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, newest);
  }
}
