package org.ifpp.broker.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The single place where errors become RFC 9457 problem+json: every response carries a stable
 * {@code code}; bad input is 4xx, never 500, and no stack trace or exception text leaves the
 * service.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  private final ObjectWriter problemWriter;

  ProblemAdvice(JsonMapper mapper) {
    // The mixin flattens the properties (code) into the object, as Spring's converter does.
    this.problemWriter =
        mapper
            .rebuild()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
            .build()
            .writerFor(ProblemDetail.class);
  }

  /**
   * The problem as bytes with a Content-Length. Through the JSON converter the body would be
   * flushed and sent chunked; many refusals (400, 413) end the connection (Tomcat closes it after
   * the answer), and a client still decoding chunks when the close arrives can fail ("chunked
   * transfer encoding, state: READING_LENGTH"). A sized body is complete or visibly cut.
   */
  private ResponseEntity<Object> send(HttpStatusCode status, HttpHeaders headers, ProblemDetail p) {
    byte[] body = problemWriter.writeValueAsBytes(p);
    HttpHeaders h = new HttpHeaders();
    if (headers != null) {
      h.putAll(headers);
    }
    h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    h.setContentLength(body.length);
    return ResponseEntity.status(status).headers(h).body(body);
  }

  /** Builds the problem body used everywhere (also by the servlet filters). */
  public static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create("urn:ifpp:broker:problem:" + code));
    HttpStatus known = HttpStatus.resolve(status.value());
    p.setTitle(known != null ? known.getReasonPhrase() : "Error");
    p.setProperty("code", code);
    return p;
  }

  @ExceptionHandler(BrokerException.class)
  ResponseEntity<Object> broker(BrokerException e, HttpServletRequest request) {
    ProblemDetail p = problem(e.status(), e.code(), e.getMessage());
    p.setInstance(URI.create(request.getRequestURI()));
    HttpHeaders headers = new HttpHeaders();
    if (e.status() == HttpStatus.UNAUTHORIZED) {
      headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ifpp-broker\"");
    }
    return send(e.status(), headers, p);
  }

  @ExceptionHandler(DuplicateKeyException.class)
  ResponseEntity<Object> duplicate(DuplicateKeyException e, HttpServletRequest request) {
    // A race lost against a concurrent upload: the pre-checks normally give the precise answer.
    String message = String.valueOf(e.getMostSpecificCause().getMessage());
    String code =
        message.contains("batch_external_id_key") ? "duplicate-batch" : "duplicate-transaction-id";
    return broker(
        BrokerException.conflict(code, "an object with the same identity already exists"), request);
  }

  /**
   * A transaction PostgreSQL gave up under contention (a deadlock, e.g. a batch report against the
   * lease sweeper, or a serialisation failure): nothing was written, the same request can be sent
   * again. 503 {@code transient-conflict} with Retry-After, not a 500.
   */
  @ExceptionHandler({
    PessimisticLockingFailureException.class,
    ConcurrencyFailureException.class,
    TransientDataAccessException.class
  })
  ResponseEntity<Object> transientConflict(Exception e, HttpServletRequest request) {
    log.warn(
        "transient database conflict on {} {}: {}",
        request.getMethod(),
        request.getRequestURI(),
        e.getClass().getSimpleName());
    ProblemDetail p =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "transient-conflict",
            "the database gave up this transaction under contention; nothing was stored, send it"
                + " again");
    p.setInstance(URI.create(request.getRequestURI()));
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, "1");
    return send(HttpStatus.SERVICE_UNAVAILABLE, headers, p);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    ProblemDetail p = problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "internal error");
    p.setInstance(URI.create(request.getRequestURI()));
    return send(HttpStatus.INTERNAL_SERVER_ERROR, null, p);
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex,
      Object body,
      HttpHeaders headers,
      HttpStatusCode statusCode,
      WebRequest request) {
    PayloadTooLargeException tooLarge = PayloadTooLargeException.findIn(ex);
    if (tooLarge != null) {
      statusCode = HttpStatus.CONTENT_TOO_LARGE;
      headers = new HttpHeaders(headers);
      headers.set(HttpHeaders.CONNECTION, "close");
    }
    String code = codeFor(ex, tooLarge);
    String detail = detailFor(ex, statusCode, tooLarge);
    ProblemDetail p = problem(statusCode, code, detail);
    if (request instanceof ServletWebRequest swr) {
      p.setInstance(URI.create(swr.getRequest().getRequestURI()));
    }
    return send(statusCode, headers, p);
  }

  private static String codeFor(Exception ex, PayloadTooLargeException tooLarge) {
    if (tooLarge != null) {
      return "body-too-large";
    }
    if (ex instanceof NoResourceFoundException) {
      return "not-found";
    }
    if (ex instanceof HttpRequestMethodNotSupportedException) {
      return "method-not-allowed";
    }
    if (ex instanceof HttpMediaTypeNotSupportedException) {
      return "unsupported-media-type";
    }
    if (ex instanceof HttpMediaTypeNotAcceptableException) {
      return "not-acceptable";
    }
    if (ex instanceof HttpMessageNotReadableException) {
      return "malformed-json";
    }
    if (ex instanceof MissingRequestHeaderException h) {
      return "missing-header";
    }
    if (ex instanceof MissingServletRequestParameterException) {
      return "missing-parameter";
    }
    if (ex instanceof MethodArgumentTypeMismatchException) {
      return "invalid-parameter";
    }
    if (ex instanceof MethodArgumentNotValidException
        || ex instanceof HandlerMethodValidationException) {
      return "invalid-request";
    }
    if (ex instanceof ErrorResponse er) {
      return "http-" + er.getStatusCode().value();
    }
    return "bad-request";
  }

  private static String detailFor(
      Exception ex, HttpStatusCode status, PayloadTooLargeException tooLarge) {
    if (tooLarge != null) {
      return tooLarge.getMessage();
    }
    if (ex instanceof HttpMessageNotReadableException) {
      // Parser messages can echo input; say only what kind of input was wrong.
      return "request body is not valid JSON for this operation";
    }
    if (ex instanceof MissingRequestHeaderException h) {
      return "required header " + h.getHeaderName() + " is missing";
    }
    if (ex instanceof MissingServletRequestParameterException m) {
      return "required parameter " + m.getParameterName() + " is missing";
    }
    if (ex instanceof MethodArgumentTypeMismatchException m) {
      return "parameter " + m.getName() + " has an invalid value";
    }
    if (ex instanceof ErrorResponse er && er.getBody().getDetail() != null) {
      return er.getBody().getDetail();
    }
    HttpStatus known = HttpStatus.resolve(status.value());
    return known != null ? known.getReasonPhrase() : "error";
  }
}
