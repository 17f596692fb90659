package org.ifpp.crypto.pki;

/**
 * A failed certificate check, carried from the individual checks to the validator, which turns it
 * into a typed result. Never leaves the pki package family. No stack trace: it is an expected
 * outcome, not a bug.
 */
final class CheckFailed extends Exception {

  private final ValidationFailure reason;

  public CheckFailed(ValidationFailure reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public ValidationFailure reason() {
    return reason;
  }

  public String detail() {
    return getMessage();
  }
}
