package org.ifpp.crypto.tlv;

import java.util.Objects;

/**
 * The one error type of the TLV reader: every malformed input ends here, with a stable {@link
 * TlvErrorCode} and the offset where the problem was found. Unchecked, so that parsers built on the
 * reader can let it travel up to the single place that maps it to a domain result.
 */
public final class TlvException extends RuntimeException {

  private final TlvErrorCode code;
  private final int offset;

  public TlvException(TlvErrorCode code, int offset, String message) {
    super(code + " at offset " + offset + ": " + message);
    this.code = Objects.requireNonNull(code, "code");
    this.offset = offset;
  }

  public TlvErrorCode code() {
    return code;
  }

  /** Offset, within the input being read, where the problem was found. */
  public int offset() {
    return offset;
  }
}
