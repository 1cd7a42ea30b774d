/**
 * The operator's log output: the plain or JSON format ({@link LogFormat}, chosen by
 * {@code run --log-format} or LOG_FORMAT through {@link LogSetup}), the reconcile id in the MDC
 * ({@link ReconcileIds}), and the redaction layer every event passes before any appender sees it
 * ({@link RedactingAppender}).
 *
 * <p>Redaction covers the formatted message, the thread name, MDC values, SLF4J key-value pairs
 * and the message of the exception, its causes and suppressed exceptions, in both formats. It
 * replaces with {@code [REDACTED]}:
 * <ul>
 *   <li>values registered in {@link KnownSecrets} at run time (the token client registers the
 *       client ID and secret it sends and the access token it receives), as is, in base64
 *       (standard and URL-safe, padded or not), URL-encoded, JSON-escaped, and as SLF4J prints a
 *       {@code char[]}/{@code byte[]} argument;</li>
 *   <li>by pattern ({@link SecretPatterns}): JWTs, {@code Bearer} tokens, Authorization header
 *       values, secret-named fields ({@code client_secret=}, {@code "access_token":"…"},
 *       password, api key, private key), PEM private key blocks, and runs of 32 or more base64
 *       characters that look random (mixed case, frequent class changes).</li>
 * </ul>
 * Stack frames and exception class names are left alone. Hex and decimal identifiers
 * (fingerprints, key ids, UIDs, resource versions) are never matched by the patterns.
 */
package dev.reloadly.operator.logging;
