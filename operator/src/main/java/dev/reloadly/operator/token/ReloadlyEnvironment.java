package dev.reloadly.operator.token;

import java.util.Locale;

/** Reloadly's two environments, which differ in base URL and in how long tokens live. */
public enum ReloadlyEnvironment {
  LIVE("live"),
  SANDBOX("sandbox");

  private final String id;

  ReloadlyEnvironment(String id) {
    this.id = id;
  }

  /** The lower-case name used in resource specs and configuration, e.g. {@code "sandbox"}. */
  public String id() {
    return id;
  }

  /** Resolves a spec value such as {@code "live"}; throws with the accepted values otherwise. */
  public static ReloadlyEnvironment parse(String value) {
    for (ReloadlyEnvironment environment : values()) {
      if (environment.id.equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
        return environment;
      }
    }
    throw new IllegalArgumentException(
        "Unknown Reloadly environment \"" + value + "\": expected one of live, sandbox");
  }
}
