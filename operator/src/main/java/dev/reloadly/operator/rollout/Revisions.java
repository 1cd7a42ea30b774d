package dev.reloadly.operator.rollout;

/** The revision values written into restarted pod templates. */
public final class Revisions {
  static final String WITHDRAWN = "withdrawn-";

  /** The revision after a compromise withdrew {@code fingerprint} and nothing replaced it. */
  public static String withdrawn(String fingerprint) {
    return WITHDRAWN + fingerprint;
  }

  private Revisions() {}

  /** What a consumer must be restarted for: the version, plus the token for env token readers. */
  static String want(String revision, String token, Reads reads) {
    return token != null && reads.tokenByEnv() ? revision + "+token-" + token : revision;
  }
}
