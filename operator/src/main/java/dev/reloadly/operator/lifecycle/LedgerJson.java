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
    try {
      return MAPPER.readValue(json, VersionLedger.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the version ledger in the store Secret is not valid JSON"
          + " (line " + e.getLocation().getLineNr() + ")");
    }
  }
}
