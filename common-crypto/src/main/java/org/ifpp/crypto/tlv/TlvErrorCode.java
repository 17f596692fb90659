package org.ifpp.crypto.tlv;

/** Why a BER-TLV input was refused. Stable codes, safe to show to callers. */
public enum TlvErrorCode {
  /** The input ends inside a tag, a length or a value. */
  TRUNCATED,
  /** A length field has more than 4 bytes, is the reserved {@code FF}, or exceeds 2^31-1. */
  LENGTH_OVERFLOW,
  /** Constructed objects are nested deeper than {@link TlvLimits#maxDepth()}. */
  TOO_DEEP,
  /** The input or one value is larger than the {@link TlvLimits} allow. */
  OVERSIZE,
  /** Bytes remain after the single object that was expected. */
  TRAILING_DATA,
  /** A tag is malformed: zero, longer than 3 bytes, or a non-minimal multi-byte form. */
  BAD_TAG,
  /** The indefinite length form {@code 80} (BER allows it, SGP.22 does not). */
  INDEFINITE_LENGTH
}
