package org.ifpp.line.chip;

/**
 * The chip could not be reached through the station's reader. {@link #code()} is the reason a
 * device result carries: {@code no-card} (none came into the reader in time), {@code card-removed}
 * (gone mid-exchange), {@code timeout}, {@code wrong-chip} (the reader holds another EID than the
 * claimed one), {@code reader-unavailable} (no such reader, or PC/SC down), {@code card-error} (a
 * status word the protocol does not allow).
 */
public class ChipUnavailableException extends RuntimeException {

  private final String code;

  public ChipUnavailableException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ChipUnavailableException(String code, String message) {
    this(code, message, null);
  }

  public String code() {
    return code;
  }
}
