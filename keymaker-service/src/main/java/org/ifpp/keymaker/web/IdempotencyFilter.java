package org.ifpp.keymaker.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Honours the {@code Idempotency-Key} header on POSTs (draft-ietf-httpapi-idempotency-key-header):
 * the first request with a key runs and its response (any status below 500) is stored; a repeat
 * with the same key and the same body gets the stored response again without running; the same key
 * with another body is 422 {@code idempotency-key-reused}; a repeat while the first is still
 * running is 409 {@code idempotency-in-progress}. A 5xx is not stored, so the client may retry.
 * Keys are scoped by role. Runs after {@link BearerAuthFilter}.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

  static final String HEADER = "Idempotency-Key";
  private static final int IN_PROGRESS = 0;

  private final JdbcTemplate jdbc;
  private final int maxBody;

  public IdempotencyFilter(JdbcTemplate jdbc, int maxBody) {
    this.jdbc = jdbc;
    this.maxBody = maxBody;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod())
        || !request.getRequestURI().startsWith("/api/")
        || request.getHeader(HEADER) == null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String key = request.getHeader(HEADER).strip();
    if (key.isEmpty() || key.length() > 128) {
      reject(response, HttpStatus.BAD_REQUEST, "invalid-idempotency-key", "1 to 128 characters");
      return;
    }
    byte[] body = request.getInputStream().readNBytes(maxBody + 1);
    if (body.length > maxBody) {
      reject(response, HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "request too large");
      return;
    }
    Object role = request.getAttribute(Role.ATTRIBUTE);
    String principal = role == null ? "anonymous" : role.toString();
    byte[] hash = hash(request, body);

    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "select request_hash, status, content_type, body from idempotency"
                + " where principal = ? and idem_key = ?",
            principal,
            key);
    if (!rows.isEmpty()) {
      replay(rows.get(0), hash, response);
      return;
    }
    try {
      jdbc.update(
          "insert into idempotency (principal, idem_key, request_hash, status) values (?, ?, ?, ?)",
          principal,
          key,
          hash,
          IN_PROGRESS);
    } catch (DuplicateKeyException e) {
      reject(
          response,
          HttpStatus.CONFLICT,
          "idempotency-in-progress",
          "a request with this key is running");
      return;
    }
    ContentCachingResponseWrapper wrapped = new ContentCachingResponseWrapper(response);
    boolean stored = false;
    try {
      chain.doFilter(new BufferedRequest(request, body), wrapped);
      if (wrapped.getStatus() < 500) {
        jdbc.update(
            "update idempotency set status = ?, content_type = ?, body = ?"
                + " where principal = ? and idem_key = ?",
            wrapped.getStatus(),
            wrapped.getContentType(),
            wrapped.getContentAsByteArray(),
            principal,
            key);
        stored = true;
      }
    } finally {
      if (!stored) {
        jdbc.update("delete from idempotency where principal = ? and idem_key = ?", principal, key);
      }
      wrapped.copyBodyToResponse();
    }
  }

  private void replay(Map<String, Object> row, byte[] hash, HttpServletResponse response)
      throws IOException {
    int status = ((Number) row.get("status")).intValue();
    if (!MessageDigest.isEqual((byte[]) row.get("request_hash"), hash)) {
      reject(
          response,
          HttpStatus.UNPROCESSABLE_ENTITY,
          "idempotency-key-reused",
          "this Idempotency-Key was used for another request");
      return;
    }
    if (status == IN_PROGRESS) {
      reject(
          response,
          HttpStatus.CONFLICT,
          "idempotency-in-progress",
          "a request with this key is running");
      return;
    }
    response.setStatus(status);
    if (row.get("content_type") != null) {
      response.setContentType((String) row.get("content_type"));
    }
    response.setHeader("Idempotent-Replayed", "true");
    byte[] body = (byte[]) row.get("body");
    if (body != null) {
      response.getOutputStream().write(body);
    }
  }

  private static byte[] hash(HttpServletRequest request, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          (request.getMethod()
                  + " "
                  + request.getRequestURI()
                  + "?"
                  + request.getQueryString()
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
      sha.update(body);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void reject(
      HttpServletResponse response, HttpStatus status, String code, String detail)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType("application/problem+json");
    response.getOutputStream().write(Problems.json(status, code, detail));
  }

  /** A request whose body was already read into memory. */
  private static final class BufferedRequest extends HttpServletRequestWrapper {
    private final byte[] body;

    BufferedRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException();
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
