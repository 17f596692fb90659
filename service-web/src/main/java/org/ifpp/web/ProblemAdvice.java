package org.ifpp.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
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

/**
 * The single place where a service's errors become RFC 9457 problem+json: every answer carries a
 * stable {@code code}; bad input is 4xx, never 500; a database that does not answer is 503 with
 * Retry-After; no stack trace, exception text or Java type name leaves the service.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  private final Problems problems;
  private final String databaseRetryAfter;
  private final ConflictCodes conflictCodes;

  public ProblemAdvice(
      Problems problems, WebProperties properties, ObjectProvider<ConflictCodes> conflictCodes) {
    this.problems = problems;
    this.databaseRetryAfter = String.valueOf(properties.databaseRetryAfter().toSeconds());
    this.conflictCodes = conflictCodes.getIfAvailable(() -> e -> null);
  }

  @ExceptionHandler(DomainException.class)
  ResponseEntity<Object> domain(DomainException e, HttpServletRequest request) {
    return answer(e.error(), e.getMessage(), request);
  }

  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<Object> conflict(DataIntegrityViolationException e, HttpServletRequest request) {
    ErrorCode code = conflictCodes.codeFor(e);
    return answer(
        code == null ? WebError.CONFLICT : code,
        "an object with the same identity already exists",
        request);
  }

  /**
   * A transaction the database gave up under contention (a deadlock, a serialisation failure):
   * nothing was written, the same request can be sent again. 503 {@code transient-conflict}.
   */
  @ExceptionHandler({ConcurrencyFailureException.class, TransientDataAccessException.class})
  ResponseEntity<Object> transientConflict(Exception e, HttpServletRequest request) {
    if (DatabaseOutage.isOutage(e)) {
      return databaseUnavailable(e, request);
    }
    log.warn(
        "transient database conflict on {} {}: {}",
        request.getMethod(),
        request.getRequestURI(),
        e.getClass().getSimpleName());
    return answer(
        WebError.TRANSIENT_CONFLICT,
        "the database gave up this transaction under contention; nothing was stored, send it"
            + " again",
        request);
  }

  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    CannotCreateTransactionException.class
  })
  ResponseEntity<Object> databaseUnavailable(Exception e, HttpServletRequest request) {
    log.warn(
        "database unavailable on {} {}: {}",
        request.getMethod(),
        request.getRequestURI(),
        e.getClass().getSimpleName());
    return answer(
        WebError.DATABASE_UNAVAILABLE,
        "the database does not answer; nothing was stored, send the request again later",
        request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
    if (DatabaseOutage.isOutage(e)) {
      return databaseUnavailable(e, request);
    }
    BodyTooLargeException tooLarge = BodyTooLargeException.findIn(e);
    if (tooLarge != null) {
      return answer(WebError.BODY_TOO_LARGE, tooLarge.getMessage(), request);
    }
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return answer(WebError.INTERNAL_ERROR, "internal error", request);
  }

  /** The answer to any throwable, for failures outside Spring MVC (filters, the error page). */
  ResponseEntity<Object> forThrowable(Throwable t, HttpServletRequest request) {
    Throwable root = t;
    while (root instanceof jakarta.servlet.ServletException && root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof DomainException d) {
      return domain(d, request);
    }
    if (root instanceof ConcurrencyFailureException
        || root instanceof TransientDataAccessException) {
      return transientConflict((Exception) root, request);
    }
    return unexpected(root instanceof Exception e ? e : new RuntimeException(root), request);
  }

  private ResponseEntity<Object> answer(
      ErrorCode error, String detail, HttpServletRequest request) {
    ProblemDetail p = problems.problem(error, detail);
    p.setInstance(URI.create(request.getRequestURI()));
    HttpHeaders headers = new HttpHeaders();
    if (error.status() == HttpStatus.UNAUTHORIZED) {
      headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    } else if (error == WebError.DATABASE_UNAVAILABLE) {
      headers.set(HttpHeaders.RETRY_AFTER, databaseRetryAfter);
    } else if (error == WebError.TRANSIENT_CONFLICT) {
      headers.set(HttpHeaders.RETRY_AFTER, "1");
    } else if (error == WebError.BODY_TOO_LARGE) {
      // The unread rest of the body is not drained: this connection ends with the answer.
      headers.set(HttpHeaders.CONNECTION, "close");
    }
    return problems.response(p, headers);
  }

  /** Spring MVC's own refusals (unreadable body, wrong method or media type...): add a code. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex,
      Object body,
      HttpHeaders headers,
      HttpStatusCode statusCode,
      WebRequest request) {
    DomainException refused = refusedParameter(ex);
    if (refused != null && request instanceof ServletWebRequest swr) {
      return domain(refused, swr.getRequest());
    }
    BodyTooLargeException tooLarge = BodyTooLargeException.findIn(ex);
    ErrorCode error = tooLarge != null ? WebError.BODY_TOO_LARGE : errorFor(ex);
    if (error == WebError.MALFORMED_JSON && !isJson(request)) {
      error = WebError.MALFORMED_REQUEST; // a binary body (DER, a package batch) that is not right
    }
    HttpStatusCode status = error != null ? error.status() : statusCode;
    String code = error != null ? error.code() : "http-" + statusCode.value();
    ProblemDetail p = problems.problem(status, code, detailFor(ex, status, tooLarge));
    if (request instanceof ServletWebRequest swr) {
      p.setInstance(URI.create(swr.getRequest().getRequestURI()));
    }
    HttpHeaders h = new HttpHeaders(headers);
    if (tooLarge != null) {
      h.set(HttpHeaders.CONNECTION, "close");
    }
    return problems.response(p, h);
  }

  /**
   * A path or query parameter whose converter refused it with a {@link DomainException} (a typed id
   * parsed at the edge, {@code invalid-eid}): that refusal's own code, not {@code
   * invalid-parameter}.
   */
  private static DomainException refusedParameter(Exception ex) {
    if (!(ex instanceof MethodArgumentTypeMismatchException)) {
      return null;
    }
    for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
      if (t instanceof DomainException d) {
        return d;
      }
    }
    return null;
  }

  private static boolean isJson(WebRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    return type == null || type.contains("json");
  }

  private static ErrorCode errorFor(Exception ex) {
    if (ex instanceof NoResourceFoundException) {
      return WebError.NOT_FOUND;
    }
    if (ex instanceof HttpRequestMethodNotSupportedException) {
      return WebError.METHOD_NOT_ALLOWED;
    }
    if (ex instanceof HttpMediaTypeNotSupportedException) {
      return WebError.UNSUPPORTED_MEDIA_TYPE;
    }
    if (ex instanceof HttpMediaTypeNotAcceptableException) {
      return WebError.NOT_ACCEPTABLE;
    }
    if (ex instanceof HttpMessageNotReadableException) {
      return WebError.MALFORMED_JSON;
    }
    if (ex instanceof MissingRequestHeaderException) {
      return WebError.MISSING_HEADER;
    }
    if (ex instanceof MissingServletRequestParameterException) {
      return WebError.MISSING_PARAMETER;
    }
    if (ex instanceof MethodArgumentTypeMismatchException) {
      return WebError.INVALID_PARAMETER;
    }
    if (ex instanceof MethodArgumentNotValidException
        || ex instanceof HandlerMethodValidationException) {
      return WebError.INVALID_REQUEST;
    }
    if (ex instanceof ErrorResponse er && er.getStatusCode().value() == 400) {
      return WebError.MALFORMED_REQUEST;
    }
    return null;
  }

  private static String detailFor(
      Exception ex, HttpStatusCode status, BodyTooLargeException tooLarge) {
    if (tooLarge != null) {
      return tooLarge.getMessage();
    }
    if (ex instanceof HttpMessageNotReadableException) {
      // Parser messages echo input and name Java types; say only what kind of input was wrong.
      return "the request body is missing or not valid for this operation";
    }
    if (ex instanceof MissingRequestHeaderException h) {
      return "required header " + h.getHeaderName() + " is missing";
    }
    if (ex instanceof MissingServletRequestParameterException m) {
      return "required parameter " + m.getParameterName() + " is missing";
    }
    if (ex instanceof MethodArgumentTypeMismatchException m) {
      Class<?> type = m.getRequiredType();
      if (type != null && type.isEnum()) {
        StringBuilder b = new StringBuilder();
        for (Object c : type.getEnumConstants()) {
          b.append(b.isEmpty() ? "" : ", ").append(((Enum<?>) c).name());
        }
        return "parameter " + m.getName() + " must be one of " + b;
      }
      return "parameter " + m.getName() + " has an invalid value";
    }
    if (ex instanceof MethodArgumentNotValidException
        || ex instanceof HandlerMethodValidationException) {
      return "the request does not satisfy its constraints";
    }
    HttpStatus known = HttpStatus.resolve(status.value());
    if (ex instanceof ErrorResponse er
        && er.getBody().getDetail() != null
        && !(ex instanceof org.springframework.web.bind.ServletRequestBindingException)) {
      return er.getBody().getDetail();
    }
    return known != null ? known.getReasonPhrase() : "error";
  }
}
