package org.ifpp.broker.packagerequests;

import java.util.List;

/**
 * A line's request for the packages of some chips, format {@code ifpp-package-request/1}
 * (docs/orders.md): the line's own request id (its retries reuse it), the order, and per chip its
 * EID and its eUICC data (base64 of the E1 record of docs/euicc-data-format.md). Public data only.
 */
public record PackageRequestBody(
    String format, String requestId, String orderId, List<Chip> euiccs) {

  public static final String FORMAT = "ifpp-package-request/1";

  /** One chip: the EID it is filed under and its eUICC data. */
  public record Chip(String eid, String data) {}

  @Override
  public String toString() {
    return "PackageRequestBody[" + requestId + ", " + (euiccs == null ? 0 : euiccs.size()) + "]";
  }
}
