package org.ifpp.crypto.pki;

/**
 * Why a certificate or certificate chain was refused (IFPP.md section 6 step 2, DPFF10). The names
 * are stable: services turn them into error codes.
 */
public enum ValidationFailure {
  /** No configured CI (or, for an eUICC certificate, the given EUM) issued the certificate. */
  UNTRUSTED_ISSUER,
  /** The issuer matched by name and key identifier, but its key does not verify the signature. */
  BAD_SIGNATURE,
  /** The validation time is after notAfter. */
  EXPIRED,
  /** The validation time is before notBefore. */
  NOT_YET_VALID,
  /** The certificate lacks the SGP.22 role (certificate policy, key usage, CA flag) required. */
  WRONG_ROLE,
  /** The subject key is not an EC key on P-256 or brainpoolP256r1. */
  UNSUPPORTED_KEY,
  /** Not a DER X.509 certificate, or a mandatory field of the SGP.22 profile is missing. */
  MALFORMED,
  /** The eUICC certificate's EID does not satisfy the EUM certificate's Name Constraints. */
  EID_OUTSIDE_EUM_RANGE,
  /** The eUICC certificate names a different EID than the one expected. */
  EID_MISMATCH
}
