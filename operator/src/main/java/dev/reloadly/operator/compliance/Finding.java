package dev.reloadly.operator.compliance;

import java.time.Instant;
import java.util.Optional;

/**
 * What one check found.
 *
 * @param ids the guidelines it checks, e.g. "C5" or "B3,C4"
 * @param flipsAt when its result changes by time alone (an age passes a bound), if it does
 */
public record Finding(String ids, String name, Result result, String message,
    Optional<Instant> flipsAt) {

  public static Finding of(String ids, String name, Result result, String message) {
    return new Finding(ids, name, result, message, Optional.empty());
  }
}
