package org.ifpp.euicc.web;

/** Input that cannot reach a chip: a 400 with a specific code. */
public class BadRequestException extends RuntimeException {

  private final String code;

  public BadRequestException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
