package dev.reloadly.operator.api.v1alpha1;

/** Labels and annotations that are part of the contract with users and with other tools. */
public final class ApiLabels {
  /** On every object the operator owns; its informers select only these. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "reloadly-credential-operator";
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  /** Name of the credential an owned object belongs to. */
  public static final String CREDENTIAL = "security.reloadly.dev/credential";

  /** What an owned Secret is: target or store. */
  public static final String COMPONENT = "app.kubernetes.io/component";

  /**
   * Optional, set by users on a Secret referenced by spec.source.secretRef: such a Secret is held by
   * the operator's label-filtered informer, which saves one read from the API server per
   * reconcile. The operator never adds it: it does not write to source Secrets.
   */
  public static final String SOURCE = "security.reloadly.dev/source";
  public static final String SOURCE_SELECTOR = SOURCE + "=true";

  /** Fingerprint of the credential version the target Secret serves. */
  public static final String VERSION = "security.reloadly.dev/version";
  /** When (RFC 3339) the token in the target Secret was issued. */
  public static final String TOKEN_ISSUED_AT = "security.reloadly.dev/token-issued-at";
  /** Expiry (RFC 3339) of the token in the target Secret. */
  public static final String TOKEN_EXPIRES_AT = "security.reloadly.dev/token-expires-at";
  /** Set by a person (or `compromise`) with a reason: the current version is compromised. */
  public static final String COMPROMISED = "security.reloadly.dev/compromised";
  /** Set to any value to force a token refresh; the operator removes it once done. */
  public static final String REFRESH_TOKEN = "security.reloadly.dev/refresh-token";

  private ApiLabels() {}
  /** Pod-template annotation: the revision a workload was last restarted for (restart strategy). */
  public static final String RESTARTED_FOR = "security.reloadly.dev/restarted-for";
  /** Annotation on a credential: "now" retires the previous version although a rollout stalled. */
  public static final String RETIRE_PREVIOUS = "security.reloadly.dev/retire-previous";
  /** Node annotation: the public IP Reloadly sees for traffic through this NAT node. */
  public static final String EGRESS_IP = "security.reloadly.dev/egress-ip";
}
