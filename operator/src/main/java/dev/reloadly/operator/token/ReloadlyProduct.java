package dev.reloadly.operator.token;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The Reloadly products an access token can be issued for; each is its own OAuth audience. */
public enum ReloadlyProduct {
  AIRTIME("airtime"),
  GIFTCARDS("giftcards"),
  UTILITIES("utilities");

  private final String id;

  ReloadlyProduct(String id) {
    this.id = id;
  }

  /** The lower-case name used in resource specs and configuration, e.g. {@code "airtime"}. */
  public String id() {
    return id;
  }

  /** Resolves a spec value such as {@code "giftcards"}; throws with the accepted values otherwise. */
  public static ReloadlyProduct parse(String value) {
    for (ReloadlyProduct product : values()) {
      if (product.id.equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
        return product;
      }
    }
    throw new IllegalArgumentException("Unknown Reloadly product \"" + value + "\": expected one of "
        + Arrays.stream(values()).map(ReloadlyProduct::id).collect(Collectors.joining(", ")));
  }
}
