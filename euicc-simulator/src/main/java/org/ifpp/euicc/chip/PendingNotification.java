package org.ifpp.euicc.chip;

import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;

/**
 * A signed Profile Installation Result the chip keeps until it is acknowledged: an entry of the
 * eUICC's pending notification list (SGP.22 section 5.7.9 ES10b.ListNotification, 5.7.10
 * RetrieveNotificationsList, 5.7.11 RemoveNotificationFromList). Its sequence number is the one
 * inside the signed result.
 *
 * @param seqNumber the notification's sequence number (the PIR's)
 * @param transactionId the binding's transactionId the result answers
 * @param iccid the installed profile's ICCID; empty for a failure
 * @param installed whether the result reports an installed profile
 * @param profileInstallationResult the signed PIR exactly as the chip answered it, BF37 DER
 */
public record PendingNotification(
    long seqNumber,
    TransactionId transactionId,
    Optional<Iccid> iccid,
    boolean installed,
    byte[] profileInstallationResult) {

  public PendingNotification {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(iccid, "iccid");
    Objects.requireNonNull(profileInstallationResult, "profileInstallationResult");
    if (installed != iccid.isPresent()) {
      throw new IllegalArgumentException("an installed result names its ICCID, a failure none");
    }
    profileInstallationResult = profileInstallationResult.clone();
  }

  @Override
  public byte[] profileInstallationResult() {
    return profileInstallationResult.clone();
  }
}
