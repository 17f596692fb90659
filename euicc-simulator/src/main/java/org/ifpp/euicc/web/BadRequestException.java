package org.ifpp.euicc.web;

/** Input that cannot reach a chip: a 400 with a specific code. */
class BadRequestException extends RuntimeException {

  private final String code;

  BadRequestException(String code, String message) {
    super(message);
    this.code = code;
  }

  String code() {
    return code;
  }
}
