package org.ifpp.web;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds and writes the RFC 9457 problem+json bodies of a service: {@code type} is the service's
 * prefix and the code, {@code title} the status's reason phrase, {@code code} the catalogue code.
 * Used by the advice, the error controller, the servlet filters and Tomcat's error valve, so every
 * answer looks the same wherever it was produced.
 */
public final class Problems {

  private final String typePrefix;
  private final ObjectWriter writer;

  public Problems(String typePrefix, JsonMapper mapper) {
    this.typePrefix = typePrefix;
    // The mixin flattens the properties (code) into the object, as Spring's converter does.
    this.writer =
        mapper
            .rebuild()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
            .build()
            .writerFor(ProblemDetail.class);
  }

  /** A problem with the catalogue entry's status and code. */
  public ProblemDetail problem(ErrorCode error, String detail) {
    return problem(error.status(), error.code(), detail);
  }

  public ProblemDetail problem(HttpStatusCode status, String code, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(typePrefix + code));
    HttpStatus known = HttpStatus.resolve(status.value());
    p.setTitle(known != null ? known.getReasonPhrase() : "Error");
    p.setProperty("code", code);
    return p;
  }

  public byte[] bytes(ProblemDetail problem) {
    return writer.writeValueAsBytes(problem);
  }

  /**
   * The problem as bytes with a Content-Length. Through the JSON converter the body would be
   * flushed and sent chunked; many refusals (400, 413) end the connection, and a client still
   * decoding chunks when the close arrives can fail. A sized body is complete or visibly cut.
   */
  public ResponseEntity<Object> response(ProblemDetail p, HttpHeaders headers) {
    byte[] body = bytes(p);
    HttpHeaders h = new HttpHeaders();
    if (headers != null) {
      h.putAll(headers);
    }
    h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    h.setContentLength(body.length);
    return ResponseEntity.status(p.getStatus()).headers(h).body(body);
  }
}
