package org.ifpp.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's own error answers (a request line or header it cannot parse or that is too large, an
 * encoded slash in a path) as problem+json instead of Tomcat's HTML page. These requests never
 * reach the application; Tomcat gives the Host's error report valve the status and, when it has
 * one, the exception.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

  private final Problems problems;

  public ProblemErrorReportValve(Problems problems) {
    this.problems = problems;
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    ErrorCode error = ProblemErrorController.forStatus(status);
    String detail = "the request could not be parsed";
    if (throwable != null
        && throwable.getMessage() != null
        && throwable.getMessage().contains("too large")) {
      error = WebError.HEADERS_TOO_LARGE;
      detail = "the request headers are too large";
      response.setStatus(error.status().value());
    } else if (error == WebError.MALFORMED_REQUEST) {
      detail = "the request line, a header or the path is malformed";
    } else {
      detail = error.status().getReasonPhrase();
    }
    ProblemDetail p = problems.problem(error, detail);
    byte[] body = problems.bytes(p);
    try {
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response was taken: nothing more to say
    }
  }
}
