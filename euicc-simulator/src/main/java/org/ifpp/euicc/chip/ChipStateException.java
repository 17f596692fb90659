package org.ifpp.euicc.chip;

/**
 * A lifecycle operation is not allowed in the chip's current state (for example enabling field
 * services while one-time keys remain, EUICCF04). Carries a stable error code for the HTTP layer.
 */
public class ChipStateException extends RuntimeException {

  private final String code;

  public ChipStateException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
