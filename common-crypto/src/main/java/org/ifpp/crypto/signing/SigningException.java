package org.ifpp.crypto.signing;

/** A signing key could not produce a valid signature (HSM unavailable, key missing). */
public class SigningException extends RuntimeException {

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }

  public SigningException(String message) {
    super(message);
  }
}
