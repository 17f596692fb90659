package org.ifpp.keymaker.web;

import org.springframework.http.HttpStatus;

/**
 * An expected failure of an API request, answered as RFC 9457 problem+json with a stable {@code
 * code} (see {@link ProblemHandler}).
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String code;

  public ApiException(HttpStatus status, String code, String detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiException badRequest(String code, String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, code, detail);
  }

  public static ApiException notFound(String code, String detail) {
    return new ApiException(HttpStatus.NOT_FOUND, code, detail);
  }

  public static ApiException conflict(String code, String detail) {
    return new ApiException(HttpStatus.CONFLICT, code, detail);
  }

  public static ApiException unprocessable(String code, String detail) {
    return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, code, detail);
  }
}
