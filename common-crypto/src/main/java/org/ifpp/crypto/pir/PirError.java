package org.ifpp.crypto.pir;

/** Why a Profile Installation Result was refused. Names are stable error codes. */
public enum PirError {
  /** Not a single DER object: truncated, trailing bytes, BER forms. */
  MALFORMED_ENCODING,
  /** DER, but not the BF37 / BF27 structure of SGP.22 5.5.3 (tags, order, missing fields). */
  UNEXPECTED_STRUCTURE,
  /** A field is out of its range (transactionId length, ICCID, AID, signature length, event). */
  INVALID_VALUE,
  /** bppCommandId or errorReason carries a value this implementation does not know. */
  UNKNOWN_CODE,
  /** euiccSignPIR does not verify under the eUICC's key. */
  INVALID_SIGNATURE
}
