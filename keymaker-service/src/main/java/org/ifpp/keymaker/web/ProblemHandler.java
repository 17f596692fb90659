package org.ifpp.keymaker.web;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place that turns failures into RFC 9457 problem+json with a specific {@code code}
 * property. Bad input is 4xx; only a failure of the Key Maker itself is 5xx, and never with a stack
 * trace or a secret in it.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  public static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create("urn:ifpp:keymaker:problem:" + code));
    p.setProperty("code", code);
    return p;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return ResponseEntity.status(e.status()).body(problem(e.status(), e.code(), e.getMessage()));
  }

  @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
  ResponseEntity<ProblemDetail> conflict(RuntimeException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(problem(HttpStatus.CONFLICT, "conflict", "the request conflicts with stored data"));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("request failed: {}", e.toString());
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "the Key Maker failed"));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    // Spring MVC's own 4xx (unreadable body, wrong media type, missing parameter...): add a code.
    String code =
        switch (status.value()) {
          case 400 -> "malformed-request";
          case 404 -> "not-found";
          case 405 -> "method-not-allowed";
          case 406 -> "not-acceptable";
          case 413 -> "payload-too-large";
          case 415 -> "unsupported-media-type";
          default -> "request-rejected";
        };
    ProblemDetail p =
        problem(status, code, status.is4xxClientError() ? clientDetail(ex) : "request failed");
    return super.handleExceptionInternal(ex, p, headers, status, request);
  }

  private static String clientDetail(Exception ex) {
    if (ex instanceof org.springframework.http.converter.HttpMessageNotReadableException) {
      return "the request body is not readable";
    }
    String m = ex.getMessage();
    return m == null ? "bad request" : (m.length() > 200 ? m.substring(0, 200) : m);
  }
}
