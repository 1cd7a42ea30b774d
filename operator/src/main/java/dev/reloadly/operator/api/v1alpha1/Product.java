package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Reloadly product a credential is used for; each has its own token audience. */
public enum Product {
  @JsonProperty("airtime")
  AIRTIME("topups"),
  @JsonProperty("giftcards")
  GIFTCARDS("giftcards"),
  @JsonProperty("utilities")
  UTILITIES("utilities");

  private final String host;

  Product(String host) {
    this.host = host;
  }

  /** The product's base URL, which is also the token audience. */
  public String baseUrl(Environment environment) {
    return "https://" + host + (environment == Environment.SANDBOX ? "-sandbox" : "") + ".reloadly.com";
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
