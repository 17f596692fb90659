package org.ifpp.crypto.pir;

import java.util.Optional;

/**
 * Why the eUICC refused or failed an installation (SGP.22 section 5.5.3, {@code ErrorReason};
 * IFPP.md section 6), with its numeric value on the wire (tag 81 in ErrorResult) and its ASN.1
 * name. Values 1 to 15 and 127 are SGP.22's; 128 to 130 are IFPP's own, for the checks SGP.22 does
 * not have (outside SGP.22's range). The eUICC-side opener ({@code bpp.BoundProfilePackageOpener})
 * reports its rejections with these same values.
 */
public enum ErrorReason {
  INCORRECT_INPUT_VALUES(1, "incorrectInputValues"),
  INVALID_SIGNATURE(2, "invalidSignature"),
  INVALID_TRANSACTION_ID(3, "invalidTransactionId"),
  UNSUPPORTED_CRT_VALUES(4, "unsupportedCrtValues"),
  UNSUPPORTED_REMOTE_OPERATION_TYPE(5, "unsupportedRemoteOperationType"),
  UNSUPPORTED_PROFILE_CLASS(6, "unsupportedProfileClass"),
  SCP03T_STRUCTURE_ERROR(7, "scp03tStructureError"),
  SCP03T_SECURITY_ERROR(8, "scp03tSecurityError"),
  INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC(
      9, "installFailedDueToIccidAlreadyExistsOnEuicc"),
  INSTALL_FAILED_DUE_TO_INSUFFICIENT_MEMORY_FOR_PROFILE(
      10, "installFailedDueToInsufficientMemoryForProfile"),
  INSTALL_FAILED_DUE_TO_INTERRUPTION(11, "installFailedDueToInterruption"),
  INSTALL_FAILED_DUE_TO_PE_PROCESSING_ERROR(12, "installFailedDueToPEProcessingError"),
  INSTALL_FAILED_DUE_TO_DATA_MISMATCH(13, "installFailedDueToDataMismatch"),
  TEST_PROFILE_INSTALL_FAILED_DUE_TO_INVALID_NAA_KEY(
      14, "testProfileInstallFailedDueToInvalidNaaKey"),
  PPR_NOT_ALLOWED(15, "pprNotAllowed"),
  INSTALL_FAILED_DUE_TO_UNKNOWN_ERROR(127, "installFailedDueToUnknownError"),
  /** IFPP: production has been finalised, IFPP loading is locked (IFPP.md section 6 step 1). */
  IFPP_DISABLED(128, "ifppDisabled"),
  /**
   * IFPP: the Key Maker's binding certificate does not chain to a trusted CI, is not valid, or
   * lacks the profile-binding role (IFPP.md section 6 step 2).
   */
  INVALID_CERTIFICATE(129, "invalidCertificate"),
  /**
   * IFPP: the chip has no unused one-time key left (every one consumed, none wiped: production not
   * finalised); IFPP stays enabled, but no package can open (IFPP.md section 6 step 5).
   */
  KEYS_EXHAUSTED(130, "oneTimeKeysExhausted");

  private final int code;
  private final String asn1Name;

  ErrorReason(int code, String asn1Name) {
    this.code = code;
    this.asn1Name = asn1Name;
  }

  public int code() {
    return code;
  }

  /** The SGP.22 ASN.1 name (ours for the IFPP values). */
  public String asn1Name() {
    return asn1Name;
  }

  public static Optional<ErrorReason> fromCode(long code) {
    for (ErrorReason reason : values()) {
      if (reason.code == code) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }
}
