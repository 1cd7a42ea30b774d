package dev.reloadly.operator.rollout;

/** How a pod template reads one Secret. */
public record Reads(boolean env, boolean file, boolean tokenByEnv) {
  public static final Reads NONE = new Reads(false, false, false);

  public boolean any() {
    return env || file;
  }

  /** As status.consumers says it: env, file, both or none. */
  public String word() {
    return env && file ? "both" : env ? "env" : file ? "file" : "none";
  }

  Reads plus(Reads other) {
    return new Reads(env || other.env, file || other.file, tokenByEnv || other.tokenByEnv);
  }
}
