package org.ifpp.line.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One HTTP/1.1 request of the line's clients: method, absolute http(s) URI, headers, a body held in
 * memory (the largest is a bound package of a few tens of KB) and the timeout of one attempt.
 * Immutable; {@link Http#send} rebuilds it for every attempt from the caller's supplier, so a
 * retried POST carries the same Idempotency-Key.
 *
 * <p>Header names and values are checked for CR, LF and NUL so that no value (a line name, a token)
 * can inject a header or a second request. {@link #toString()} shows method and URI only: headers
 * carry credentials.
 */
public final class Request {

  /** A header as sent. */
  public record Header(String name, String value) {}

  private final String method;
  private final URI uri;
  private final List<Header> headers;
  private final byte[] body;
  private final Duration timeout;

  private Request(Builder b) {
    this.method = b.method;
    this.uri = b.uri;
    this.headers = List.copyOf(b.headers);
    this.body = b.body;
    this.timeout = b.timeout;
  }

  /** A GET of {@code uri} with a 30 s timeout unless set otherwise. */
  public static Builder newBuilder(URI uri) {
    return new Builder(uri);
  }

  public String method() {
    return method;
  }

  public URI uri() {
    return uri;
  }

  public List<Header> headers() {
    return headers;
  }

  /**
   * The body sent (shared, not copied: requests are built and sent by the same client), or null.
   */
  byte[] body() {
    return body;
  }

  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }

  /** Builds a {@link Request}. */
  public static final class Builder {
    private final URI uri;
    private final List<Header> headers = new ArrayList<>(8);
    private String method = "GET";
    private byte[] body;
    private Duration timeout = Duration.ofSeconds(30);

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("not an http(s) URI: " + uri);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host in " + uri);
      }
      this.uri = uri;
    }

    /** Adds a header (repeatable). Host, Content-Length and Connection are set by the client. */
    public Builder header(String name, String value) {
      checkToken(name);
      checkValue(value);
      if (name.equalsIgnoreCase("Host")
          || name.equalsIgnoreCase("Content-Length")
          || name.equalsIgnoreCase("Transfer-Encoding")
          || name.equalsIgnoreCase("Connection")) {
        throw new IllegalArgumentException("header set by the client: " + name);
      }
      headers.add(new Header(name, value));
      return this;
    }

    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    public Builder get() {
      this.method = "GET";
      this.body = null;
      return this;
    }

    public Builder delete() {
      this.method = "DELETE";
      this.body = null;
      return this;
    }

    /** A POST with this body (sent as is, with its Content-Length). */
    public Builder post(byte[] body) {
      this.method = "POST";
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /** A PUT with this body (sent as is, with its Content-Length). */
    public Builder put(byte[] body) {
      this.method = "PUT";
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /** A POST without a body (Content-Length: 0). */
    public Builder post() {
      return post(new byte[0]);
    }

    public Request build() {
      return new Request(this);
    }

    private static void checkToken(String name) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("empty header name");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c <= ' ' || c >= 127 || c == ':') {
          throw new IllegalArgumentException("invalid header name");
        }
      }
    }

    private static void checkValue(String value) {
      Objects.requireNonNull(value, "header value");
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\r' || c == '\n' || c == 0 || c > 255) {
          // The value itself is not echoed: it may be a credential.
          throw new IllegalArgumentException("invalid character in a header value");
        }
      }
    }
  }
}
