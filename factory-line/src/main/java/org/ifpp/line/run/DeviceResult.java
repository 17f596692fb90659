package org.ifpp.line.run;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.line.journal.NoResultReason;

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
    Eid eid,
    String line,
    Outcome outcome,
    String detail,
    long claimNanos,
    long downloadNanos,
    long installNanos,
    long reportNanos,
    Recovery recovery) {

  /**
   * What a line can still do for a device whose step failed for lack of an answer: nothing, run it
   * again from the claim (the chip was never touched), or deliver its signed result again (store
   * and forward: the result is the factory's only proof of the installation).
   */
  public sealed interface Recovery {
    /** Nothing to retry. */
    record None() implements Recovery {}

    /** The chip was never touched: claim it again (a retried claim of the same line is safe). */
    record Reprogram() implements Recovery {}

    /**
     * The chip answered; its signed result (journalled) still has to reach the broker.
     *
     * @param onRecorded run once the broker recorded it, or null
     */
    record Report(
        org.ifpp.line.broker.Claim claim, boolean installed, byte[] pir, Runnable onRecorded)
        implements Recovery {

      public Report(org.ifpp.line.broker.Claim claim, boolean installed, byte[] pir) {
        this(claim, installed, pir, null);
      }
    }

    Recovery NONE = new None();
  }

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

  public DeviceResult(
      Eid eid,
      String line,
      Outcome outcome,
      String detail,
      long claimNanos,
      long downloadNanos,
      long installNanos,
      long reportNanos) {
    this(
        eid,
        line,
        outcome,
        detail,
        claimNanos,
        downloadNanos,
        installNanos,
        reportNanos,
        Recovery.NONE);
  }

  /**
   * The line's reason for a device's end state in a run, or null when the chip gave a signed result
   * (installed, failed, or one kept in the journal to deliver later).
   */
  public NoResultReason noResultReason() {
    if (recovery instanceof DeviceResult.Recovery.Report) {
      return null; // a signed result, journalled, still to be delivered
    }
    String d = detail == null ? "" : detail;
    return switch (outcome) {
      case INSTALLED -> null;
      // A refusal with a signed result is journalled; one without (the chip answered nothing it
      // signed) is the chip's misbehaviour. The report prefers a journalled signed result.
      case REJECTED -> NoResultReason.DAMAGED;
      case NO_PACKAGE -> NoResultReason.NOT_ATTEMPTED;
      case ERROR -> {
        if (!d.startsWith("install:")) {
          yield NoResultReason
              .NOT_ATTEMPTED; // claim, download or the journal failed before the chip
        }
        yield switch (d.substring("install:".length())) {
          case "card-removed" -> NoResultReason.REMOVED;
          case "card-error" -> NoResultReason.DAMAGED;
          default -> NoResultReason.UNREACHABLE;
        };
      }
    };
  }

  public boolean recoverable() {
    return !(recovery instanceof Recovery.None);
  }

  public long totalNanos() {
    return claimNanos + downloadNanos + installNanos + reportNanos;
  }
}
