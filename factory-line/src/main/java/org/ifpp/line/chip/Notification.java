package org.ifpp.line.chip;

/**
 * A chip's pending notification of an installation (SGP.22 section 5.7.10 ListNotification /
 * RetrieveNotificationsList): its own signed result of a package it opened, kept on the chip until
 * the factory removes it. The other source of truth besides the line's journal: a result lost on
 * the way is still on the chip.
 *
 * @param seqNumber the chip's sequence number of the notification
 * @param transactionId the package's transactionId (hex)
 * @param iccid the profile's ICCID, or null
 * @param installed the outcome the chip signed
 * @param pir the chip's signed Profile Installation Result (BF37 DER)
 */
public record Notification(
    long seqNumber, String transactionId, String iccid, boolean installed, byte[] pir) {

  /** True when this is the chip's result for {@code transactionId} (hex, any case). */
  public boolean isFor(String transactionId) {
    return this.transactionId != null && this.transactionId.equalsIgnoreCase(transactionId);
  }
}
