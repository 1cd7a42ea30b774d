package dev.reloadly.operator.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Reads and writes a VersionLedger as JSON for the store Secret. */
public final class LedgerJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private LedgerJson() {}

  public static String write(VersionLedger ledger) {
    try {
      return MAPPER.writeValueAsString(ledger);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the version ledger", e);
    }
  }

  /** Parses a ledger; a damaged one is an error the caller reports, never silently emptied. */
  public static VersionLedger read(String json) {
    VersionLedger ledger;
    try {
      ledger = MAPPER.readValue(json, VersionLedger.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the version ledger in the store Secret is not valid JSON"
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    return complete(ledger);
  }

  /**
   * Found by fuzzing: JSON {@code null}, or an entry without a field the operator relies on, read
   * as a ledger and then threw a NullPointerException in the reconcile (before the ledger MAC is
   * checked, for {@code null}). Such a ledger is damaged like invalid JSON: StoreDamaged.
   */
  private static VersionLedger complete(VersionLedger ledger) {
    if (ledger == null) {
      throw new IllegalArgumentException("the version ledger in the store Secret is empty (null)");
    }
    for (CredentialVersion v : ledger.versions()) {
      if (v.fingerprint() == null || v.state() == null || v.createdAt() == null) {
        throw new IllegalArgumentException("the version ledger in the store Secret has a version"
            + " without fingerprint, state or createdAt");
      }
      if (v.state() == VersionState.PREVIOUS && v.supersededAt() == null) {
        // Its grace period counts from when it was superseded.
        throw new IllegalArgumentException("the version ledger in the store Secret has a previous"
            + " version without supersededAt");
      }
    }
    for (Incident i : ledger.incidents()) {
      if (i == null || i.reportedAt() == null || i.reason() == null) {
        throw new IllegalArgumentException("the version ledger in the store Secret has an incident"
            + " without reportedAt or reason");
      }
    }
    return ledger;
  }
}
