package org.ifpp.crypto.internal;

/**
 * Input that is not the expected DER structure. Carried to the public parser, which turns it into a
 * typed result; no stack trace, since malformed input is expected, not a bug.
 */
public final class DerException extends Exception {

  /** Whether the bytes are not DER at all, or DER of the wrong shape. */
  public enum Kind {
    ENCODING,
    STRUCTURE
  }

  private final Kind kind;

  public DerException(Kind kind, String detail) {
    super(detail, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public String detail() {
    return getMessage();
  }
}
