package org.ifpp.line.broker;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;

/**
 * A package claimed by this line for the chip in front of it (the broker's lease).
 *
 * @param transactionId the binding's transactionId: the package's id in the line calls (as hex)
 * @param eid the chip's EID
 * @param batchId the batch the package belongs to (its binding certificate is per batch), or null
 * @param leaseExpiresAt the lease's end as the broker wrote it, or null
 * @param packageUrl where to GET the package bytes (relative to the broker), or null for the
 *     default path
 * @param certificateUrl where to GET the batch's binding certificate, or null for the default path
 * @param bppEuiccOtpk the one-time key the package is bound to (SGP.22's bppEuiccOtpk, hex of the
 *     65-byte point) when the broker sent it, else null: the chip then tries its unused keys
 */
public record Claim(
    TransactionId transactionId,
    Eid eid,
    String batchId,
    String leaseExpiresAt,
    String packageUrl,
    String certificateUrl,
    String bppEuiccOtpk) {

  /** A claim that came without the key id. */
  public Claim(
      TransactionId transactionId,
      Eid eid,
      String batchId,
      String leaseExpiresAt,
      String packageUrl,
      String certificateUrl) {
    this(transactionId, eid, batchId, leaseExpiresAt, packageUrl, certificateUrl, null);
  }
}
