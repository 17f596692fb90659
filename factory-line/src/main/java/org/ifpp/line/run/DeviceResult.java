package org.ifpp.line.run;

/**
 * What happened to one chip on a line, with the time spent in each step (nanoseconds; 0 when the
 * step was not reached).
 *
 * @param eid the chip
 * @param line the line that handled it
 * @param outcome the result
 * @param detail the chip's error reason or the failure's code, or null
 */
public record DeviceResult(
    String eid,
    String line,
    Outcome outcome,
    String detail,
    long claimNanos,
    long downloadNanos,
    long installNanos,
    long reportNanos) {

  /** The end state of one chip. */
  public enum Outcome {
    /** Profile installed and the signed result reported. */
    INSTALLED,
    /** The chip refused the package; its signed failure result was reported. */
    REJECTED,
    /** The broker had no package for this chip for this line, or it was taken. */
    NO_PACKAGE,
    /** A call failed for good (outcome unknown, report lost); the claim was released. */
    ERROR
  }

  public long totalNanos() {
    return claimNanos + downloadNanos + installNanos + reportNanos;
  }
}
