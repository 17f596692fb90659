package org.ifpp.keymaker.reports;

import java.util.List;

/**
 * A Profile Loading Report (ESBPP03) as the factory sends it: format {@code ifpp-loading-report/1},
 * the order, and one entry per device of the order.
 */
public record LoadingReport(String format, String orderId, List<Entry> devices) {

  public static final String FORMAT = "ifpp-loading-report/1";

  /**
   * One device. {@code INSTALLED} and {@code FAILED} carry the chip's signed result (base64 of the
   * BF37 ProfileInstallationResult) and the package's transactionId; {@code NO_RESULT} carries the
   * line's {@link NoResultReason} and nothing else.
   */
  public record Entry(
      String eid,
      String outcome,
      String transactionId,
      String profileInstallationResult,
      String reason) {

    @Override
    public String toString() {
      return "Entry[eid=" + eid + ", outcome=" + outcome + ", reason=" + reason + "]";
    }
  }

  @Override
  public String toString() {
    return "LoadingReport[orderId="
        + orderId
        + ", devices="
        + (devices == null ? 0 : devices.size())
        + "]";
  }
}
