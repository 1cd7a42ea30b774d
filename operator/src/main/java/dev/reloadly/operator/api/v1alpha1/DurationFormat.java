package dev.reloadly.operator.api.v1alpha1;

/**
 * The duration syntax of the API: Kubernetes/Go style ({@code 2160h}, {@code 1h30m}) or whole days
 * ({@code 90d}).
 */
public final class DurationFormat {
  /**
   * Whole days, or one or more integer Go-style parts. Fractions are left out on purpose; seven
   * digits keep every value inside CEL's duration range, so a rule fails with its own message.
   */
  public static final String PATTERN = "^([0-9]{1,5}d|([0-9]{1,7}(ms|s|m|h))+)$";

  public static final int MAX_LENGTH = 32;

  private DurationFormat() {}

}
