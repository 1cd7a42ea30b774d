package dev.reloadly.operator.token;

import dev.reloadly.operator.config.AuthUrls;
import dev.reloadly.operator.logging.KnownSecrets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the HTTP exchange with Reloadly's token endpoint and the mapping of its answers to {@link TokenResult}. */
public final class HttpReloadlyTokenClient implements ReloadlyTokenClient {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
  /**
   * The longest token answer read: Reloadly's are about a kilobyte. Without a bound a garbage
   * answer of megabytes was read whole and served as the token (found by ReloadlyFaultsTest).
   */
  public static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Logger LOG = LoggerFactory.getLogger(HttpReloadlyTokenClient.class);

  private final URI authUrl;
  private final Clock clock;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final ServerDelay serverDelay;
  private final KnownSecrets secrets;

  public HttpReloadlyTokenClient(URI authUrl, Clock clock) {
    this(authUrl, clock, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  /** The only protocols the client speaks: never below TLS 1.2 (guideline B8). */
  public static final java.util.List<String> TLS_PROTOCOLS = java.util.List.of("TLSv1.3", "TLSv1.2");

  /**
   * @param authUrl the token endpoint; https, or http only to a loopback simulator
   * @throws IllegalArgumentException when {@code authUrl} is plain http to a non-loopback host
   */
  public HttpReloadlyTokenClient(URI authUrl, Clock clock, Duration connectTimeout, Duration requestTimeout) {
    this(authUrl, clock, connectTimeout, requestTimeout, KnownSecrets.global());
  }

  /**
   * @param proxy an HTTPS proxy the requests tunnel through (HTTP CONNECT; TLS stays end to
   *     end), or null to connect directly
   */
  public static HttpReloadlyTokenClient viaProxy(URI authUrl, Clock clock,
      java.net.InetSocketAddress proxy) {
    return new HttpReloadlyTokenClient(authUrl, clock, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT, KnownSecrets.global(), proxy);
  }

  /** @param secrets where the client ID and secret it sends and the tokens it gets are registered, for log redaction */
  public HttpReloadlyTokenClient(URI authUrl, Clock clock, Duration connectTimeout, Duration requestTimeout,
      KnownSecrets secrets) {
    this(authUrl, clock, connectTimeout, requestTimeout, secrets, null);
  }

  private HttpReloadlyTokenClient(URI authUrl, Clock clock, Duration connectTimeout,
      Duration requestTimeout, KnownSecrets secrets, java.net.InetSocketAddress proxy) {
    AuthUrls.requireSecureOrLoopback(authUrl);
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.authUrl = authUrl;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.serverDelay = new ServerDelay(clock);
    SSLParameters tls = new SSLParameters();
    tls.setProtocols(TLS_PROTOCOLS.toArray(String[]::new));
    this.http = HttpClient.newBuilder()
        .sslParameters(tls)
        .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
        // A redirect would resend the secret to wherever the Location header points.
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(proxy == null ? HttpClient.Builder.NO_PROXY : java.net.ProxySelector.of(proxy))
        .build();
  }

  @Override
  public TokenResult requestToken(char[] clientId, char[] clientSecret, String audience) {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(audience, "audience");
    // Whatever logs them by mistake from here on (an exception message, a debug line) shows
    // [REDACTED] instead.
    secrets.register(clientId);
    secrets.register(clientSecret);
    byte[] body = TokenRequestBody.encode(clientId, clientSecret, audience);
    HttpResponse<byte[]> response;
    try {
      response = http.send(request(body), BoundedBody.handler(MAX_RESPONSE_BYTES));
    } catch (HttpTimeoutException e) {
      return retry(Duration.ZERO, "token request timed out (" + e.getClass().getSimpleName() + ")", audience);
    } catch (ConnectException e) {
      return retry(Duration.ZERO, "cannot connect to Reloadly auth endpoint", audience);
    } catch (IOException e) {
      // The JDK client may hand the body handler's exception back as the cause of its own.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BoundedBody.TooLarge tooLarge) {
          if (tooLarge.status == 400 || tooLarge.status == 401 || tooLarge.status == 403) {
            // Unread, the body names no error code; the status alone says Reloadly refused.
            return new TokenResult.Rejected("HTTP_" + tooLarge.status, tooLarge.status);
          }
          return retry(Duration.ZERO, tooLarge.getMessage(), audience);
        }
      }
      return retry(Duration.ZERO, "network error talking to Reloadly auth endpoint (" + e.getClass().getSimpleName() + ")", audience);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TokenResult.RetryLater(Duration.ZERO, "interrupted while requesting a token");
    } finally {
      Arrays.fill(body, (byte) 0);
    }
    try {
      return interpret(response, audience);
    } finally {
      Arrays.fill(response.body(), (byte) 0);
    }
  }

  private HttpRequest request(byte[] body) {
    return HttpRequest.newBuilder(authUrl)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("User-Agent", "reloadly-credential-operator")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private TokenResult interpret(HttpResponse<byte[]> response, String audience) {
    int status = response.statusCode();
    if (status == 200) {
      return issued(response.body(), audience);
    }
    if (status == 400 || status == 401 || status == 403) {
      String errorCode = errorCode(response.body()).orElse("HTTP_" + status);
      LOG.debug("Reloadly rejected the token request for audience {}: HTTP {} {}", audience, status, errorCode);
      return new TokenResult.Rejected(errorCode, status);
    }
    Duration wait = serverDelay.from(response.headers());
    if (status == 429) {
      LOG.debug("Token request for audience {} will be retried: rate limited (HTTP 429)", audience);
      return new TokenResult.RetryLater(wait, "rate limited by Reloadly (HTTP 429)", true);
    }
    if (status >= 500) {
      return retry(wait, "Reloadly auth endpoint error (HTTP " + status + ")", audience);
    }
    // 3xx and other 4xx mean the endpoint is misconfigured rather than the credential being bad,
    // so do not let them mark the credential invalid.
    return retry(wait, "unexpected HTTP " + status + " from Reloadly auth endpoint", audience);
  }

  private TokenResult issued(byte[] body, String audience) {
    TokenResponse parsed;
    try {
      parsed = TokenResponse.parse(body);
    } catch (IOException e) {
      return retry(Duration.ZERO, e.getMessage(), audience);
    }
    if (parsed.accessToken == null || parsed.accessToken.length == 0) {
      return retry(Duration.ZERO, "token response without access_token", audience);
    }
    Instant issuedAt = clock.instant();
    Optional<Instant> fromExpiresIn = plusSeconds(issuedAt, parsed.expiresInSeconds);
    Optional<Instant> fromJwt = JwtExpiry.readExp(parsed.accessToken);
    // expires_in is relative to our clock and immune to skew; exp is what Reloadly will enforce.
    // Trusting the earlier one means we never believe a token lives longer than either says.
    Optional<Instant> expiresAt = earlier(fromExpiresIn, fromJwt);
    if (expiresAt.isEmpty()) {
      parsed.wipe();
      return retry(Duration.ZERO, "token response without expires_in or JWT exp", audience);
    }
    if (!expiresAt.get().isAfter(issuedAt)) {
      // Served, such a token would be due for refresh at once: the operator minted again in the
      // same instant, over and over (found by ReloadlyFaultsTest). It is no usable answer.
      parsed.wipe();
      return retry(Duration.ZERO, "token response with a token that has already expired"
          + " (expires_in or JWT exp)", audience);
    }
    // Redacted in logs until it expires; after that it opens nothing.
    secrets.register(parsed.accessToken, expiresAt.get());
    LOG.debug("Reloadly issued a token for audience {} expiring at {}", audience, expiresAt.get());
    return new TokenResult.Issued(parsed.accessToken, parsed.tokenType, parsed.scope, issuedAt, expiresAt.get());
  }

  /**
   * {@code issuedAt + seconds}, or empty when there is no number or it is out of range: an
   * overflowing expires_in threw out of the client and failed the reconcile (found by
   * ReloadlyFaultsTest); now the JWT's exp decides, or the answer is retried.
   */
  private static Optional<Instant> plusSeconds(Instant issuedAt, java.util.OptionalLong seconds) {
    if (seconds.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(issuedAt.plusSeconds(seconds.getAsLong()));
    } catch (ArithmeticException | java.time.DateTimeException outOfRange) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> earlier(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  private static Optional<String> errorCode(byte[] body) {
    try {
      TokenResponse parsed = TokenResponse.parse(body);
      parsed.wipe();
      // The code ends up in status conditions and logs; accept only what an error code looks like.
      return Optional.ofNullable(parsed.errorCode).filter(code -> ERROR_CODE.matcher(code).matches());
    } catch (IOException notJson) {
      return Optional.empty();
    }
  }

  private static TokenResult retry(Duration after, String cause, String audience) {
    LOG.debug("Token request for audience {} will be retried: {}", audience, cause);
    return new TokenResult.RetryLater(after, cause);
  }
}
