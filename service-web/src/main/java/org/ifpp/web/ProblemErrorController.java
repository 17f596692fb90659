package org.ifpp.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page ({@code server.error.path}, {@code /error}) as problem+json, in place of Spring
 * Boot's own JSON: failures outside Spring MVC (an exception in a servlet filter, such as the
 * database going away during a token check; a {@code sendError} from the container) get the same
 * answers as the advice gives.
 */
@RestController
public class ProblemErrorController implements ErrorController {

  private final ProblemAdvice advice;
  private final Problems problems;

  public ProblemErrorController(ProblemAdvice advice, Problems problems) {
    this.advice = advice;
    this.problems = problems;
  }

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<Object> error(HttpServletRequest request) {
    if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t) {
      return advice.forThrowable(t, request);
    }
    int status =
        request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer s ? s : 500;
    ErrorCode error = forStatus(status);
    ProblemDetail p = problems.problem(error, error.status().getReasonPhrase());
    if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
      try {
        p.setInstance(URI.create(uri));
      } catch (IllegalArgumentException e) {
        // not a valid URI: leave the instance out
      }
    }
    return problems.response(p, null);
  }

  /** The shared code for a bare status set by the container. */
  static ErrorCode forStatus(int status) {
    return switch (status) {
      case 404 -> WebError.NOT_FOUND;
      case 405 -> WebError.METHOD_NOT_ALLOWED;
      case 406 -> WebError.NOT_ACCEPTABLE;
      case 413 -> WebError.BODY_TOO_LARGE;
      case 415 -> WebError.UNSUPPORTED_MEDIA_TYPE;
      case 431 -> WebError.HEADERS_TOO_LARGE;
      case 503 -> WebError.DATABASE_UNAVAILABLE;
      default ->
          HttpStatus.valueOf(status).is4xxClientError()
              ? WebError.MALFORMED_REQUEST
              : WebError.INTERNAL_ERROR;
    };
  }
}
