package org.ifpp.euicc.loading;

import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;

/**
 * What a chip answered to one package (IFPP.md section 6 step 9): installed or rejected with an
 * SGP.22-style reason, and the Profile Installation Result it signed.
 *
 * @param eid the chip
 * @param installed whether the profile is now installed
 * @param errorReason the reason code when rejected (e.g. invalidSignature), empty when installed
 * @param iccid the profile's ICCID when known
 * @param transactionId the binding's transactionId when the package carried a readable one
 * @param remainingOneTimeKeys unused one-time keys left on the chip after this load
 * @param profileInstallationResult the signed PIR, BF37 DER
 */
public record LoadOutcome(
    Eid eid,
    boolean installed,
    Optional<String> errorReason,
    Optional<Iccid> iccid,
    Optional<TransactionId> transactionId,
    int remainingOneTimeKeys,
    byte[] profileInstallationResult) {

  public LoadOutcome {
    Objects.requireNonNull(eid, "eid");
    Objects.requireNonNull(errorReason, "errorReason");
    Objects.requireNonNull(iccid, "iccid");
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(profileInstallationResult, "profileInstallationResult");
    if (installed == errorReason.isPresent()) {
      throw new IllegalArgumentException(
          "an installed outcome has no error reason, and vice versa");
    }
  }
}
