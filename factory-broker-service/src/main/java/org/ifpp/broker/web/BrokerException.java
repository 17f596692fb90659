package org.ifpp.broker.web;

import org.springframework.http.HttpStatus;

/**
 * An expected refusal with a stable, documented error code, turned into RFC 9457 problem+json by
 * {@link ProblemAdvice}. The detail is shown to the caller, so it never carries package contents.
 */
public class BrokerException extends RuntimeException {

  private final HttpStatus status;
  private final String code;

  public BrokerException(HttpStatus status, String code, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static BrokerException badRequest(String code, String detail) {
    return new BrokerException(HttpStatus.BAD_REQUEST, code, detail);
  }

  public static BrokerException notFound(String code, String detail) {
    return new BrokerException(HttpStatus.NOT_FOUND, code, detail);
  }

  public static BrokerException conflict(String code, String detail) {
    return new BrokerException(HttpStatus.CONFLICT, code, detail);
  }

  public static BrokerException forbidden(String code, String detail) {
    return new BrokerException(HttpStatus.FORBIDDEN, code, detail);
  }

  public static BrokerException unauthorized(String code, String detail) {
    return new BrokerException(HttpStatus.UNAUTHORIZED, code, detail);
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }
}
