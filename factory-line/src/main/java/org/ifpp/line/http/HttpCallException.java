package org.ifpp.line.http;

/**
 * A call that did not get a usable answer: retries exhausted on a transient failure, or a final
 * answer that the caller does not accept. {@link #status()} is the last HTTP status, or 0 when no
 * answer arrived at all; {@link #code()} is the problem+json {@code code} property when there was
 * one.
 */
public class HttpCallException extends RuntimeException {

  private final int status;
  private final String code;

  public HttpCallException(String message, int status, String code, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  /** The problem+json {@code code}, or null. */
  public String code() {
    return code;
  }

  /** True when no answer arrived (timeouts, connection failures), so the outcome is unknown. */
  public boolean outcomeUnknown() {
    return status == 0 || status >= 500;
  }
}
