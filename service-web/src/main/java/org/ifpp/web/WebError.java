package org.ifpp.web;

import org.springframework.http.HttpStatus;

/**
 * The codes the shared web layer answers by itself, the same in every service: failures of HTTP
 * itself (unreadable bodies, wrong methods, limits) and of the infrastructure (database down). A
 * service's own catalogue holds its domain codes.
 */
public enum WebError implements ErrorCode {
  /** The request line or headers could not be parsed (Tomcat refused it), or an encoded slash. */
  MALFORMED_REQUEST(HttpStatus.BAD_REQUEST),
  /** The body is not the JSON the operation reads. */
  MALFORMED_JSON(HttpStatus.BAD_REQUEST),
  MISSING_HEADER(HttpStatus.BAD_REQUEST),
  MISSING_PARAMETER(HttpStatus.BAD_REQUEST),
  /** A query or path parameter has a value outside what the operation accepts. */
  INVALID_PARAMETER(HttpStatus.BAD_REQUEST),
  /** Bean validation of the request failed. */
  INVALID_REQUEST(HttpStatus.BAD_REQUEST),
  /** The endpoint needs a credential (the actuator's metrics: an operator's Bearer token). */
  UNAUTHENTICATED(HttpStatus.UNAUTHORIZED),
  NOT_FOUND(HttpStatus.NOT_FOUND),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
  NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  /** The body exceeds {@code ifpp.web.max-body-size}. */
  BODY_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
  /** The request headers exceed {@code ifpp.web.max-header-size}. */
  HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE),
  /** The Idempotency-Key header is not 1 to 200 printable ASCII characters. */
  MALFORMED_IDEMPOTENCY_KEY(HttpStatus.BAD_REQUEST),
  /** A request with the same Idempotency-Key is still running. */
  IDEMPOTENCY_KEY_IN_USE(HttpStatus.CONFLICT),
  /** The Idempotency-Key was used before with a different request. */
  IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT),
  /** The request conflicts with stored data (a uniqueness race). */
  CONFLICT(HttpStatus.CONFLICT),
  /** The database gave up the transaction under contention; nothing was stored: send it again. */
  TRANSIENT_CONFLICT(HttpStatus.SERVICE_UNAVAILABLE),
  /** The database does not answer; nothing was stored: send it again after Retry-After. */
  DATABASE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
  /** A fault of the service itself, never caused by input. */
  INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR);

  private final String code;
  private final HttpStatus status;

  WebError(HttpStatus status) {
    this.code = ErrorCode.kebab(this);
    this.status = status;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public HttpStatus status() {
    return status;
  }
}
