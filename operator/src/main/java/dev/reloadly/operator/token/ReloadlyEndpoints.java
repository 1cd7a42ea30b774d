package dev.reloadly.operator.token;

import java.net.URI;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** Owns where tokens come from: the auth URL and each product's base URL, which is also its audience. */
public final class ReloadlyEndpoints {

  public static final URI DEFAULT_AUTH_URL = URI.create("https://auth.reloadly.com/oauth/token");

  private final URI authUrl;
  private final Map<ReloadlyProduct, Map<ReloadlyEnvironment, URI>> baseUrls;

  private ReloadlyEndpoints(URI authUrl, Map<ReloadlyProduct, Map<ReloadlyEnvironment, URI>> baseUrls) {
    this.authUrl = authUrl;
    this.baseUrls = baseUrls;
  }

  /** Reloadly's public endpoints. */
  public static ReloadlyEndpoints defaults() {
    return builder().build();
  }

  /** Starts from Reloadly's public endpoints; override any of them, e.g. to point at a simulator. */
  public static Builder builder() {
    return new Builder();
  }

  /** The OAuth token endpoint, e.g. {@code https://auth.reloadly.com/oauth/token}. */
  public URI authUrl() {
    return authUrl;
  }

  /** The product's API base URL, e.g. {@code https://topups-sandbox.reloadly.com}. */
  public URI baseUrl(ReloadlyProduct product, ReloadlyEnvironment environment) {
    return baseUrls.get(product).get(environment);
  }

  /** The {@code audience} to request a token for; Reloadly uses the product base URL verbatim. */
  public String audience(ReloadlyProduct product, ReloadlyEnvironment environment) {
    return baseUrl(product, environment).toString();
  }

  /** Same as {@link #audience(ReloadlyProduct, ReloadlyEnvironment)} for spec strings like "airtime", "live". */
  public String audience(String product, String environment) {
    return audience(ReloadlyProduct.parse(product), ReloadlyEnvironment.parse(environment));
  }

  @Override
  public String toString() {
    return "ReloadlyEndpoints{authUrl=" + authUrl + ", baseUrls=" + baseUrls + "}";
  }

  /** Collects overrides; every URL is checked for https (or loopback http) as it is set. */
  public static final class Builder {
    private URI authUrl = DEFAULT_AUTH_URL;
    private final Map<ReloadlyProduct, Map<ReloadlyEnvironment, URI>> baseUrls = new EnumMap<>(ReloadlyProduct.class);

    private Builder() {
      put(ReloadlyProduct.AIRTIME, "https://topups.reloadly.com", "https://topups-sandbox.reloadly.com");
      put(ReloadlyProduct.GIFTCARDS, "https://giftcards.reloadly.com", "https://giftcards-sandbox.reloadly.com");
      put(ReloadlyProduct.UTILITIES, "https://utilities.reloadly.com", "https://utilities-sandbox.reloadly.com");
    }

    private void put(ReloadlyProduct product, String live, String sandbox) {
      Map<ReloadlyEnvironment, URI> byEnvironment = new EnumMap<>(ReloadlyEnvironment.class);
      byEnvironment.put(ReloadlyEnvironment.LIVE, URI.create(live));
      byEnvironment.put(ReloadlyEnvironment.SANDBOX, URI.create(sandbox));
      baseUrls.put(product, byEnvironment);
    }

    public Builder authUrl(String url) {
      return authUrl(parse(url, "Reloadly auth URL"));
    }

    public Builder authUrl(URI url) {
      this.authUrl = EndpointSecurity.requireHttpsUnlessLoopback(url, "Reloadly auth URL");
      return this;
    }

    public Builder baseUrl(ReloadlyProduct product, ReloadlyEnvironment environment, String url) {
      String role = "Reloadly " + product.id() + " " + environment.id() + " base URL";
      return baseUrl(product, environment, parse(url, role));
    }

    public Builder baseUrl(ReloadlyProduct product, ReloadlyEnvironment environment, URI url) {
      String role = "Reloadly " + product.id() + " " + environment.id() + " base URL";
      baseUrls.get(Objects.requireNonNull(product)).put(
          Objects.requireNonNull(environment), EndpointSecurity.requireHttpsUnlessLoopback(url, role));
      return this;
    }

    public ReloadlyEndpoints build() {
      Map<ReloadlyProduct, Map<ReloadlyEnvironment, URI>> copy = new EnumMap<>(ReloadlyProduct.class);
      baseUrls.forEach((product, byEnvironment) ->
          copy.put(product, Collections.unmodifiableMap(new EnumMap<>(byEnvironment))));
      return new ReloadlyEndpoints(authUrl, Collections.unmodifiableMap(copy));
    }

    private static URI parse(String url, String role) {
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException(role + " is empty");
      }
      try {
        return URI.create(url.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(role + " is not a valid URL");
      }
    }
  }
}
