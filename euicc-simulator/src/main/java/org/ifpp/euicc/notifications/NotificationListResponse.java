package org.ifpp.euicc.notifications;

import java.util.Base64;
import java.util.List;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.euicc.chip.PendingNotification;

/**
 * A chip's pending notifications.
 *
 * @param notifications oldest first
 */
public record NotificationListResponse(List<Entry> notifications) {

  /**
   * One pending notification.
   *
   * @param seqNumber its sequence number, also inside the signed result; the key for removal
   * @param transactionId the binding's transactionId, hex
   * @param iccid the installed profile's ICCID, null for a failure
   * @param outcome {@code installed} or {@code failed}
   * @param profileInstallationResult the signed result exactly as the chip answered it, base64 of
   *     the BF37 DER
   */
  public record Entry(
      long seqNumber,
      String transactionId,
      String iccid,
      String outcome,
      String profileInstallationResult) {

    static Entry of(PendingNotification n) {
      return new Entry(
          n.seqNumber(),
          n.transactionId().toHex(),
          n.iccid().map(Iccid::value).orElse(null),
          n.installed() ? "installed" : "failed",
          Base64.getEncoder().encodeToString(n.profileInstallationResult()));
    }
  }

  static NotificationListResponse of(List<PendingNotification> notifications) {
    return new NotificationListResponse(notifications.stream().map(Entry::of).toList());
  }
}
