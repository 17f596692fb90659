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

  public byte[] success(
      TransactionId txId, long seq, Iccid iccid, int profileNumber, Signer euiccSigner) {
    // ISD-P AID in the SGP.02 pattern A0000005591010FFFFFFFF8900 00NN 00.
    byte[] aid = HexFormat.of().parseHex("A0000005591010FFFFFFFF8900001000");
    aid[14] = (byte) (0x10 + profileNumber);
    return new ProfileInstallationResult(
            txId,
            seq,
            notificationAddress,
            Optional.of(iccid),
            new InstallationOutcome.SuccessResult(aid, SIMA_OK))
        .sign(euiccSigner)
        .encoded();
  }

  public byte[] failure(
      TransactionId txId, long seq, BppCommandId at, ErrorReason reason, Signer euiccSigner) {
    return new ProfileInstallationResult(
            txId,
            seq,
            notificationAddress,
            Optional.empty(),
            new InstallationOutcome.ErrorResult(at, reason))
        .sign(euiccSigner)
        .encoded();
  }
}
