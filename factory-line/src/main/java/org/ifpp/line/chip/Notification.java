package org.ifpp.line.chip;

import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;

/**
 * A chip's pending notification of an installation (SGP.22 section 5.7.10 ListNotification /
 * RetrieveNotificationsList): its own signed result of a package it opened, kept on the chip until
 * the factory removes it. The other source of truth besides the line's journal: a result lost on
 * the way is still on the chip.
 *
 * @param seqNumber the chip's sequence number of the notification
 * @param transactionId the package's transactionId
 * @param iccid the profile's ICCID, or null
 * @param installed the outcome the chip signed
 * @param pir the chip's signed Profile Installation Result (BF37 DER)
 */
public record Notification(
    long seqNumber, TransactionId transactionId, Iccid iccid, boolean installed, byte[] pir) {

  /** True when this is the chip's result for {@code transactionId}. */
  public boolean isFor(TransactionId transactionId) {
    return this.transactionId != null && this.transactionId.equals(transactionId);
  }
}
