package dev.reloadly.operator.reliability;

/**
 * Where an operator process dies: right after the API server accepted its write that did
 * {@code step} for the {@code occurrence}-th time (counted from the start of the scenario). A step
 * is what the write did to the cluster, as {@link WriteInvariants#describe} names it ("store: B
 * current, A previous", "workload checkout restarted for B"), so a crash point means the same
 * thing in every run although token values, fingerprints and resourceVersions differ.
 *
 * @param index the position of the write in the crash-free run, 1-based (for reports)
 * @param halfWay what is left undone of a step that writes several objects, or null
 */
public record CrashPoint(int index, String step, int occurrence, String halfWay) {

  /** The first write that did {@code step}. */
  public static CrashPoint after(String step) {
    return new CrashPoint(0, step, 1, null);
  }

  public boolean matches(String describedStep, int seen) {
    return step.equals(describedStep) && occurrence == seen;
  }

  /** "#7 after store: B current, A previous", with the occurrence when the step repeats. */
  public String name() {
    return "#" + index + " after " + step + (occurrence > 1 ? " (" + occurrence + ")" : "")
        + (halfWay == null ? "" : ", half-way: " + halfWay);
  }

  @Override
  public String toString() {
    return name();
  }
}
