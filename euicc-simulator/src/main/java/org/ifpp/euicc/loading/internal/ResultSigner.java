package org.ifpp.euicc.loading.internal;

import java.util.HexFormat;
import java.util.Optional;
import org.ifpp.crypto.bpp.RejectionReason;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.crypto.signing.Signer;

/**
 * Builds and signs the Profile Installation Result (BF37, SGP.22 section 5.5.3; IFPP.md section 6
 * step 9) with common-crypto's PIR encoder, mapping the opener's rejection reasons onto the PIR's
 * ErrorReason.
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
      TransactionId txId,
      long seq,
      org.ifpp.crypto.bpp.BppCommandId at,
      RejectionReason reason,
      Signer euiccSigner) {
    return new ProfileInstallationResult(
            txId,
            seq,
            notificationAddress,
            Optional.empty(),
            new InstallationOutcome.ErrorResult(BppCommandId.valueOf(at.name()), map(reason)))
        .sign(euiccSigner)
        .encoded();
  }

  static ErrorReason map(RejectionReason reason) {
    return switch (reason) {
      case IFPP_DISABLED -> ErrorReason.IFPP_DISABLED;
      case INVALID_CERTIFICATE -> ErrorReason.INVALID_DP_CERTIFICATE;
      case INCORRECT_INPUT_VALUES -> ErrorReason.INCORRECT_INPUT_VALUES;
      case INVALID_SIGNATURE -> ErrorReason.INVALID_SIGNATURE;
      case UNSUPPORTED_CRT_VALUES -> ErrorReason.UNSUPPORTED_CRT_VALUES;
      case UNSUPPORTED_REMOTE_OPERATION_TYPE -> ErrorReason.UNSUPPORTED_REMOTE_OPERATION_TYPE;
      case SCP03T_STRUCTURE_ERROR -> ErrorReason.SCP03T_STRUCTURE_ERROR;
      case SCP03T_SECURITY_ERROR -> ErrorReason.SCP03T_SECURITY_ERROR;
      case ICCID_ALREADY_EXISTS -> ErrorReason.INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC;
      case INSUFFICIENT_MEMORY -> ErrorReason.INSTALL_FAILED_DUE_TO_INSUFFICIENT_MEMORY_FOR_PROFILE;
      case PE_PROCESSING_ERROR -> ErrorReason.INSTALL_FAILED_DUE_TO_PE_PROCESSING_ERROR;
      case DATA_MISMATCH -> ErrorReason.INSTALL_FAILED_DUE_TO_DATA_MISMATCH;
    };
  }
}
