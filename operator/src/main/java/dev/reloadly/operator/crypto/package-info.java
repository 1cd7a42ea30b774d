/**
 * Pure cryptography for the operator: sealed values that may live in Git (HPKE, RFC 9180),
 * envelope encryption of credential versions at rest, the key rings behind both, and keyed
 * credential fingerprints.
 *
 * <p>Nothing here knows about Kubernetes: callers pass plain values in and get plain values
 * back, and load or store key rings as bytes. Every class is immutable or stateless and safe to
 * share between threads. Secrets travel as {@code byte[]}/{@code char[]} so callers can zero
 * them; no secret or plaintext ever reaches a {@code toString()}, an exception message or a log.
 * The formats are specified in {@code docs/crypto.md}.
 */
package dev.reloadly.operator.crypto;
