package dev.reloadly.operator.compliance;

/** A check's verdict. Warn and Skip never fail a credential. */
public enum Result {
  Pass, Fail, Warn, Skip
}
