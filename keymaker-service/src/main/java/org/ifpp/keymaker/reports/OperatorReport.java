package org.ifpp.keymaker.reports;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The operator's report of an order (format {@code ifpp-operator-report/1}, docs/orders.md): which
 * ICCID is in which EID and what happened to every profile of the order, each device's status as
 * the Key Maker knows it (verified only where a chip signed it) beside the factory's claim.
 *
 * @param bindingCertificateSerial serial (hex) of the Key Maker certificate that signs the report
 * @param summary the devices counted by {@link Device#status()}
 */
public record OperatorReport(
    String format,
    String orderId,
    String pool,
    String factory,
    int deviceCount,
    Instant generatedAt,
    String bindingCertificateSerial,
    Map<String, Long> summary,
    List<Device> devices) {

  public static final String FORMAT = "ifpp-operator-report/1";

  /**
   * One device.
   *
   * @param status INSTALLED or FAILED (a chip-signed result; FAILED only while not re-bound),
   *     REBINDING (a signed failure, re-bound to the same chip), AWAITING_RESULT (delivered, no
   *     signed result), NOT_BOUND, ABANDONED
   * @param verified whether the status rests on the chip's signature
   * @param bindingState the latest binding's state in the Key Maker
   * @param factoryClaim the order's latest loading report about this device, or null
   */
  public record Device(
      String eid,
      String iccid,
      String status,
      boolean verified,
      String bindingState,
      String transactionId,
      int attempts,
      String resultCode,
      FactoryClaim factoryClaim) {}

  /**
   * What the factory said: its outcome, its reason (NO_RESULT only), and, for a signed entry, what
   * checking the chip's signature found ({@code check}, e.g. INSTALLED, DUPLICATE, REJECTED).
   */
  public record FactoryClaim(String outcome, String reason, String check, String code) {}
}
