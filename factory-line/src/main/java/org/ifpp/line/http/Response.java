package org.ifpp.line.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A complete HTTP answer: status, headers in arrival order (names compared case-insensitively), and
 * the whole body (empty, never null, when there was none).
 */
public final class Response {

  private final int status;
  private final List<Request.Header> headers;
  private final byte[] body;

  public Response(int status, List<Request.Header> headers, byte[] body) {
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body == null ? new byte[0] : body;
  }

  public int statusCode() {
    return status;
  }

  /** The first value of header {@code name}, if present. */
  public Optional<String> header(String name) {
    for (Request.Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  public List<Request.Header> headers() {
    return headers;
  }

  /** The body's bytes (the array itself: responses are read once, by the caller that sent them). */
  public byte[] body() {
    return body;
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "HTTP " + status + " (" + body.length + " bytes)";
  }
}
