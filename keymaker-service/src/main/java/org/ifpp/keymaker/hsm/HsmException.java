package org.ifpp.keymaker.hsm;

/** The HSM could not do what was asked (token absent, key missing, PKCS#11 error). */
public class HsmException extends RuntimeException {

  public HsmException(String message, Throwable cause) {
    super(message, cause);
  }

  public HsmException(String message) {
    super(message);
  }
}
