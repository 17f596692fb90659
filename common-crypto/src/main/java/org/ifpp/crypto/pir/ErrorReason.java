package org.ifpp.crypto.pir;

import java.util.Optional;

/**
 * Why the eUICC refused or failed an installation (SGP.22 section 5.5.3, {@code ErrorReason};
 * IFPP.md section 6), with its numeric value on the wire (tag 81 in ErrorResult). Values 1 to 15
 * and 127 are SGP.22's; values from 100 are IFPP's own, for the checks SGP.22 does not have.
 */
public enum ErrorReason {
  INCORRECT_INPUT_VALUES(1),
  INVALID_SIGNATURE(2),
  INVALID_TRANSACTION_ID(3),
  UNSUPPORTED_CRT_VALUES(4),
  UNSUPPORTED_REMOTE_OPERATION_TYPE(5),
  UNSUPPORTED_PROFILE_CLASS(6),
  SCP03T_STRUCTURE_ERROR(7),
  SCP03T_SECURITY_ERROR(8),
  INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC(9),
  INSTALL_FAILED_DUE_TO_INSUFFICIENT_MEMORY_FOR_PROFILE(10),
  INSTALL_FAILED_DUE_TO_INTERRUPTION(11),
  INSTALL_FAILED_DUE_TO_PE_PROCESSING_ERROR(12),
  INSTALL_FAILED_DUE_TO_DATA_MISMATCH(13),
  TEST_PROFILE_INSTALL_FAILED_DUE_TO_INVALID_NAA_KEY(14),
  PPR_NOT_ALLOWED(15),
  /** IFPP: production has been finalised, IFPP loading is locked (IFPP.md section 6 step 1). */
  IFPP_DISABLED(100),
  /**
   * IFPP: the Key Maker's binding certificate does not chain to a trusted CI, is not valid, or
   * lacks the profile-binding role (IFPP.md section 6 step 2).
   */
  INVALID_DP_CERTIFICATE(101),
  INSTALL_FAILED_DUE_TO_UNKNOWN_ERROR(127);

  private final int code;

  ErrorReason(int code) {
    this.code = code;
  }

  public int code() {
    return code;
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
