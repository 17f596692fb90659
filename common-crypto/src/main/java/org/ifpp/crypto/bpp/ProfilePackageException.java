package org.ifpp.crypto.bpp;

/**
 * A profile package (unprotected, protected or bound) is not well formed. Carries a stable {@link
 * Code}; the message never contains profile bytes.
 */
public final class ProfilePackageException extends Exception {

  /** Why the package was refused. */
  public enum Code {
    /** Not well-formed BER-TLV, or over the size limits. */
    MALFORMED_TLV,
    /** Well-formed TLV, but the elements are not the ones the spec requires. */
    INVALID_STRUCTURE,
    /** A field has an invalid value (e.g. an ICCID that is not BCD). */
    INVALID_VALUE
  }

  private final Code code;

  public ProfilePackageException(Code code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public ProfilePackageException(Code code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
