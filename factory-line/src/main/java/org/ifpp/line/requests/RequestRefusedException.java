package org.ifpp.line.requests;

/** The broker refused a package request (or it was not answered in time), with the code. */
public final class RequestRefusedException extends RuntimeException {

  private final int status;
  private final String code;

  public RequestRefusedException(int status, String code, String message) {
    super(message + (code == null ? "" : " " + code));
    this.status = status;
    this.code = code;
  }

  /** The HTTP status, or 0 when no answer came in time. */
  public int status() {
    return status;
  }

  /** The problem+json code, e.g. {@code package-request-conflict}. */
  public String code() {
    return code;
  }
}
