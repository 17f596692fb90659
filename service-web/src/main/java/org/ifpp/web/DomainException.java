package org.ifpp.web;

import java.util.Objects;

/**
 * An expected refusal (bad input, a state conflict, an unknown id) with a stable code from the
 * service's error catalogue. It knows nothing of HTTP: {@link ProblemAdvice} turns it into RFC 9457
 * problem+json. The message is shown to the caller, so it never carries a secret or package
 * contents. No stack trace is filled in: a refusal is not a fault, and refusals can be frequent.
 */
public class DomainException extends RuntimeException {

  private final transient ErrorCode error;
  private final String code;

  public DomainException(ErrorCode error, String detail) {
    super(detail, null, false, false);
    this.error = Objects.requireNonNull(error, "error");
    this.code = error.code();
  }

  public ErrorCode error() {
    return error;
  }

  /** The catalogue code, e.g. {@code package-reported}. */
  public String code() {
    return code;
  }
}
