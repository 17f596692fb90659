package org.ifpp.crypto.bpp;

/**
 * Why an eUICC refused a Bound Profile Package (IFPP.md section 6), with the SGP.22 ErrorReason
 * code (section 5.5.6 ProfileInstallationResult) that goes into the signed result. The two IFPP
 * reasons have no SGP.22 value; they use project codes 128 and 129 (outside SGP.22's range).
 */
public enum RejectionReason {
  /** Step 1: production is finalised, IFPP loading is locked (GENS13). Project code. */
  IFPP_DISABLED(128, "ifppDisabled"),
  /** Step 2: the binding certificate does not chain to a trusted CI or lacks the role. */
  INVALID_CERTIFICATE(129, "invalidCertificate"),
  /** Unparseable input (BF36/BF23 structure, or undecodable metadata). */
  INCORRECT_INPUT_VALUES(1, "incorrectInputValues"),
  /** Step 5/6: smdpSign verifies for no unused one-time key (other chip, or replay). */
  INVALID_SIGNATURE(2, "invalidSignature"),
  /** Step 4: the CRT is not keyType 88 / keyLength 16. */
  UNSUPPORTED_CRT_VALUES(4, "unsupportedCrtValues"),
  /** Step 3: remoteOpId is not installBoundProfilePackage. */
  UNSUPPORTED_REMOTE_OPERATION_TYPE(5, "unsupportedRemoteOperationType"),
  /** Step 7: a malformed segment or command. */
  SCP03T_STRUCTURE_ERROR(7, "scp03tStructureError"),
  /** Step 7: a segment MAC did not verify (tampering, wrong keys, reordering). */
  SCP03T_SECURITY_ERROR(8, "scp03tSecurityError"),
  /** Step 8: a profile with this ICCID is already installed. */
  ICCID_ALREADY_EXISTS(9, "installFailedDueToIccidAlreadyExistsOnEuicc"),
  /** Step 8: not enough memory for the profile. */
  INSUFFICIENT_MEMORY(10, "installFailedDueToInsufficientMemoryForProfile"),
  /** Step 8: the decrypted profile is not a valid profile package. */
  PE_PROCESSING_ERROR(12, "installFailedDueToPEProcessingError"),
  /** Step 8: the metadata ICCID differs from the profile's ICCID. */
  DATA_MISMATCH(13, "installFailedDueToDataMismatch");

  private final int code;
  private final String sgp22Name;

  RejectionReason(int code, String sgp22Name) {
    this.code = code;
    this.sgp22Name = sgp22Name;
  }

  /** The ErrorReason integer for the Profile Installation Result. */
  public int code() {
    return code;
  }

  /** The SGP.22 ASN.1 name (or ours for the two IFPP reasons). */
  public String sgp22Name() {
    return sgp22Name;
  }
}
