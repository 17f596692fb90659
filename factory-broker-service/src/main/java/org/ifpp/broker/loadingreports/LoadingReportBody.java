package org.ifpp.broker.loadingreports;

import java.util.List;

/**
 * A loading report as the line sends it and the Key Maker receives it, format {@code
 * ifpp-loading-report/1} (docs/orders.md): the order and one entry per device.
 */
public record LoadingReportBody(String format, String orderId, List<Entry> devices) {

  public static final String FORMAT = "ifpp-loading-report/1";

  /**
   * One device: {@code INSTALLED}/{@code FAILED} with the transactionId and the chip's signed
   * result (base64 BF37), or {@code NO_RESULT} with the line's reason.
   */
  public record Entry(
      String eid,
      String outcome,
      String transactionId,
      String profileInstallationResult,
      String reason) {}

  @Override
  public String toString() {
    return "LoadingReportBody[orderId="
        + orderId
        + ", devices="
        + (devices == null ? 0 : devices.size())
        + "]";
  }
}
