package org.ifpp.euicc.web;

import java.net.URI;
import org.ifpp.euicc.chip.ChipNotFoundException;
import org.ifpp.euicc.chip.ChipStateException;
import org.ifpp.euicc.loading.SegmentationException;
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
 * The one place that turns failures into RFC 9457 problem+json with a stable {@code code} property.
 * Bad input is a 4xx; only a genuine fault of the simulator is a 500, and never with a stack trace.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create("urn:ifpp:euicc:problem:" + code));
    p.setTitle(code);
    p.setProperty("code", code);
    return p;
  }

  @ExceptionHandler(ChipNotFoundException.class)
  ProblemDetail notFound(ChipNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "chipNotFound", e.getMessage());
  }

  @ExceptionHandler(ChipStateException.class)
  ProblemDetail conflict(ChipStateException e) {
    return problem(HttpStatus.CONFLICT, e.code(), e.getMessage());
  }

  @ExceptionHandler(BadRequestException.class)
  ProblemDetail badRequest(BadRequestException e) {
    return problem(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
  }

  @ExceptionHandler(SegmentationException.class)
  ProblemDetail segmentation(SegmentationException e) {
    HttpStatus status =
        e.code().equals("packageTooLarge") ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
    return problem(status, e.code(), e.getMessage());
  }

  @ExceptionHandler(org.ifpp.euicc.loading.MalformedPackageException.class)
  ProblemDetail malformed(org.ifpp.euicc.loading.MalformedPackageException e) {
    return problem(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
  }

  @ExceptionHandler(org.ifpp.euicc.loading.LoadSessionRegistry.SessionNotFoundException.class)
  ProblemDetail sessionNotFound(RuntimeException e) {
    return problem(HttpStatus.NOT_FOUND, "sessionNotFound", "no open load session with this id");
  }

  @ExceptionHandler(org.ifpp.euicc.loading.LoadSessionRegistry.TooManySessionsException.class)
  ProblemDetail tooManySessions(RuntimeException e) {
    return problem(HttpStatus.TOO_MANY_REQUESTS, "tooManySessions", e.getMessage());
  }

  @ExceptionHandler(PayloadTooLargeException.class)
  ProblemDetail tooLarge(PayloadTooLargeException e) {
    return problem(HttpStatus.CONTENT_TOO_LARGE, "packageTooLarge", e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("unexpected failure: {}", e.getClass().getName());
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internalError", "internal error");
  }

  /** Spring's own 4xx (unreadable JSON, validation, wrong media type) get a code as well. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail p =
        body instanceof ProblemDetail given
            ? given
            : ProblemDetail.forStatusAndDetail(status, "request rejected");
    if (p.getProperties() == null || !p.getProperties().containsKey("code")) {
      String code =
          switch (status.value()) {
            case 400 -> "badRequest";
            case 404 -> "notFound";
            case 405 -> "methodNotAllowed";
            case 406 -> "notAcceptable";
            case 413 -> "packageTooLarge";
            case 415 -> "unsupportedMediaType";
            default -> "http" + status.value();
          };
      p.setProperty("code", code);
    }
    return super.handleExceptionInternal(ex, p, headers, status, request);
  }
}
