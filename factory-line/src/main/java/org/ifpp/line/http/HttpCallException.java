package org.ifpp.line.http;

import java.time.Duration;
import java.util.Optional;

/**
 * A call that did not get a usable answer: retries exhausted on a transient failure, or a final
 * answer that the caller does not accept. {@link #status()} is the last HTTP status, or 0 when no
 * answer arrived at all; {@link #code()} is the problem+json {@code code} property when there was
 * one.
 */
public class HttpCallException extends RuntimeException {

  private final int status;
  private final String code;
  private final transient Duration retryAfter;

  public HttpCallException(String message, int status, String code, Throwable cause) {
    this(message, status, code, cause, null);
  }

  /**
   * @param retryAfter the server's {@code Retry-After} (seconds form), or null
   */
  public HttpCallException(
      String message, int status, String code, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** The server's {@code Retry-After} on the last answer, if it gave one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * True when the service is unavailable for now rather than refusing: no answer at all, or 408,
   * 429, 5xx. A line waits and tries again (docs/factory-line.md, "Outages").
   */
  public boolean unavailable() {
    return status == 0 || status == 408 || status == 429 || status >= 500;
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
