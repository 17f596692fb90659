package org.ifpp.crypto.euiccdata;

import org.ifpp.crypto.pki.ValidationFailure;

/**
 * Why the Key Maker refuses one chip's eUICC data (DPFF10). The names are the stable codes the Key
 * Maker answers with, per chip.
 */
public enum EuiccDataRejection {
  /** The record is not the DER structure of {@code docs/euicc-data-format.md}. */
  MALFORMED,
  /** A certificate is not a DER X.509 v3 certificate of the SGP.22 profile. */
  CERTIFICATE_MALFORMED,
  /** The EUM certificate does not chain to a trusted CI, or the eUICC one to the EUM. */
  UNTRUSTED_CHAIN,
  CERTIFICATE_BAD_SIGNATURE,
  CERTIFICATE_EXPIRED,
  CERTIFICATE_NOT_YET_VALID,
  CERTIFICATE_WRONG_ROLE,
  CERTIFICATE_UNSUPPORTED_KEY,
  /** The record's EID differs from the eUICC certificate's (or from the EID it was filed under). */
  EID_MISMATCH,
  /** The EID is not within the EUM certificate's Name Constraints. */
  EID_OUTSIDE_EUM_RANGE,
  /** A one-time key's signature does not verify under the eUICC certificate's key. */
  ONE_TIME_KEY_BAD_SIGNATURE,
  /** A one-time public key appears twice (in this chip, or in an earlier chip of the batch). */
  DUPLICATE_ONE_TIME_KEY,
  /** Two one-time keys of the chip share a keyIndex. */
  DUPLICATE_KEY_INDEX,
  /** The EID already appeared earlier in the batch. */
  DUPLICATE_EID,
  /** The chip's capabilities (EUICCInfo2) are carried but their signature does not verify. */
  EUICC_INFO_BAD_SIGNATURE;

  static EuiccDataRejection of(ValidationFailure failure) {
    return switch (failure) {
      case UNTRUSTED_ISSUER -> UNTRUSTED_CHAIN;
      case BAD_SIGNATURE -> CERTIFICATE_BAD_SIGNATURE;
      case EXPIRED -> CERTIFICATE_EXPIRED;
      case NOT_YET_VALID -> CERTIFICATE_NOT_YET_VALID;
      case WRONG_ROLE -> CERTIFICATE_WRONG_ROLE;
      case UNSUPPORTED_KEY -> CERTIFICATE_UNSUPPORTED_KEY;
      case MALFORMED -> CERTIFICATE_MALFORMED;
      case EID_OUTSIDE_EUM_RANGE -> EID_OUTSIDE_EUM_RANGE;
      case EID_MISMATCH -> EID_MISMATCH;
    };
  }
}
