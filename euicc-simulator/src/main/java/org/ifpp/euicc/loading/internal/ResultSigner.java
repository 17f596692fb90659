package org.ifpp.euicc.loading.internal;

import java.util.HexFormat;
import java.util.Optional;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.crypto.signing.Signer;

/**
 * Builds and signs the Profile Installation Result (BF37, SGP.22 section 5.5.3; IFPP.md section 6
 * step 9) with common-crypto's PIR encoder (the opener reports its rejections in the PIR's own
 * ErrorReason and BppCommandId).
 */
public final class ResultSigner {

  /** SIMalliance EUICCResponse for a successful install: one PEStatus, status ok. */
  private static final byte[] SIMA_OK = HexFormat.of().parseHex("3007A0053003800100");

  private final String notificationAddress;

  public ResultSigner(String notificationAddress) {
    this.notificationAddress = notificationAddress;
  }

  /**
   * @param isdpAid the new profile's ISD-P AID
   * @param smdpOid the binding certificate's OID (SGP.22 v2.2.2 makes it mandatory; left out only
   *     when the certificate has none)
   */
  public byte[] success(
      TransactionId txId,
      long seq,
      Iccid iccid,
      byte[] isdpAid,
      Optional<String> smdpOid,
      Signer euiccSigner) {
    return new ProfileInstallationResult(
            txId,
            seq,
            notificationAddress,
            Optional.of(iccid),
            smdpOid,
            new InstallationOutcome.SuccessResult(isdpAid, SIMA_OK))
        .sign(euiccSigner)
        .encoded();
  }

  public byte[] failure(
      TransactionId txId,
      long seq,
      BppCommandId at,
      ErrorReason reason,
      Optional<String> smdpOid,
      Signer euiccSigner) {
    return new ProfileInstallationResult(
            txId,
            seq,
            notificationAddress,
            Optional.empty(),
            smdpOid,
            new InstallationOutcome.ErrorResult(at, reason))
        .sign(euiccSigner)
        .encoded();
  }
}
