package org.ifpp.line.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection of {@link BlockingHttpClient}: writes a request, reads its complete
 * answer. Used by one thread at a time; closed (never reused) after any failure.
 */
final class Connection {

  /** Longest header section accepted; a server sending more is broken or hostile. */
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Largest body accepted (the largest real answer is a package of a few tens of KB). */
  private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  /** A complete answer and whether the connection may carry another request. */
  record Answer(Response response, boolean reusable) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buf = new byte[16 * 1024];
  private int pos;
  private int limit;
  private long deadline;
  private long idleSince;

  private Connection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static Connection open(String host, int port, boolean tls, Duration connectTimeout, long deadline)
      throws IOException {
    long remainingMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    int timeout =
        (int) Math.min(Math.min(connectTimeout.toMillis(), remainingMs), Integer.MAX_VALUE);
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), Math.max(1, timeout));
      if (tls) {
        SSLSocket ssl =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, host, port, true);
        var params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(Math.max(1, timeout));
        ssl.startHandshake();
        return new Connection(ssl);
      }
      return new Connection(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  long idleSince() {
    return idleSince;
  }

  void markIdle() {
    idleSince = System.nanoTime();
  }

  /**
   * False when the server closed the connection (or sent something unasked) while it was idle.
   * Costs one short read, so it is done only for connections idle for a while.
   */
  boolean stillOpen() {
    if (pos < limit || socket.isClosed()) {
      return false;
    }
    try {
      socket.setSoTimeout(1);
      in.read(buf, 0, buf.length);
      return false; // end of stream, or bytes nobody asked for: either way unusable
    } catch (SocketTimeoutException e) {
      return true; // nothing to read: still open
    } catch (IOException e) {
      return false;
    }
  }

  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }

  Answer exchange(Request request, String hostHeader, long deadline) throws IOException {
    this.deadline = deadline;
    write(request, hostHeader);
    while (true) {
      String statusLine = line();
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
        throw new IOException("not an HTTP/1.x status line");
      }
      boolean http10 = statusLine.charAt(7) == '0';
      int status = parseStatus(statusLine);
      List<Request.Header> headers = headers();
      if (status >= 100 && status < 200) {
        if (status == 101) {
          throw new IOException("unexpected protocol switch");
        }
        continue; // interim answer (100 Continue, 103 Early Hints): the real one follows
      }
      boolean close = http10 || hasToken(headers, "Connection", "close");
      byte[] body;
      if (request.method().equals("HEAD") || status == 204 || status == 304) {
        body = new byte[0];
      } else if (hasToken(headers, "Transfer-Encoding", "chunked")) {
        body = chunked();
      } else {
        String length = first(headers, "Content-Length");
        if (length != null) {
          body = exactly(contentLength(length));
        } else {
          body = untilEnd();
          close = true;
        }
      }
      return new Answer(new Response(status, headers, body), !close);
    }
  }

  private void write(Request request, String hostHeader) throws IOException {
    StringBuilder head = new StringBuilder(256);
    String path = request.uri().getRawPath();
    String query = request.uri().getRawQuery();
    head.append(request.method()).append(' ').append(path == null || path.isEmpty() ? "/" : path);
    if (query != null) {
      head.append('?').append(query);
    }
    head.append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
    for (Request.Header h : request.headers()) {
      head.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    byte[] body = request.body();
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    int headLength = head.length();
    int bodyLength = body == null ? 0 : body.length;
    // Head and body in one write: one segment for the server to read, no Nagle interplay.
    byte[] wire = new byte[headLength + bodyLength];
    for (int i = 0; i < headLength; i++) {
      wire[i] = (byte) head.charAt(i); // ISO-8859-1: values were checked to be <= 255
    }
    if (bodyLength > 0) {
      System.arraycopy(body, 0, wire, headLength, bodyLength);
    }
    socket.setSoTimeout(remainingMillis());
    out.write(wire);
    out.flush();
  }

  private static int parseStatus(String statusLine) throws IOException {
    int sp = statusLine.indexOf(' ');
    if (sp < 0 || statusLine.length() < sp + 4) {
      throw new IOException("malformed status line");
    }
    int status = 0;
    for (int i = sp + 1; i < sp + 4; i++) {
      char c = statusLine.charAt(i);
      if (c < '0' || c > '9') {
        throw new IOException("malformed status code");
      }
      status = status * 10 + (c - '0');
    }
    return status;
  }

  private List<Request.Header> headers() throws IOException {
    List<Request.Header> headers = new ArrayList<>(12);
    int total = 0;
    for (String l = line(); !l.isEmpty(); l = line()) {
      total += l.length() + 2;
      if (total > MAX_HEADER_BYTES) {
        throw new IOException("header section too large");
      }
      int colon = l.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line");
      }
      headers.add(new Request.Header(l.substring(0, colon).trim(), l.substring(colon + 1).trim()));
    }
    return headers;
  }

  private static String first(List<Request.Header> headers, String name) {
    for (Request.Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  /** True when any {@code name} header lists {@code token} (comma-separated, any case). */
  private static boolean hasToken(List<Request.Header> headers, String name, String token) {
    for (Request.Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        for (String part : h.value().split(",")) {
          if (part.trim().equalsIgnoreCase(token)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static int contentLength(String value) throws IOException {
    try {
      long n = Long.parseLong(value.trim());
      if (n < 0 || n > MAX_BODY_BYTES) {
        throw new IOException("unacceptable Content-Length");
      }
      return (int) n;
    } catch (NumberFormatException e) {
      throw new IOException("malformed Content-Length");
    }
  }

  private byte[] exactly(int n) throws IOException {
    byte[] body = new byte[n];
    int done = 0;
    while (done < n) {
      if (pos == limit) {
        fill();
      }
      int k = Math.min(n - done, limit - pos);
      System.arraycopy(buf, pos, body, done, k);
      pos += k;
      done += k;
    }
    return body;
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
    while (true) {
      String sizeLine = line();
      int semicolon = sizeLine.indexOf(';'); // chunk extensions are ignored
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunk size");
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY_BYTES) {
        throw new IOException("body too large");
      }
      if (size == 0) {
        headers(); // trailers, if any, up to the empty line
        return body.toByteArray();
      }
      body.write(exactly(size));
      if (!line().isEmpty()) {
        throw new IOException("malformed chunk end");
      }
    }
  }

  private byte[] untilEnd() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
    while (true) {
      if (pos == limit && !tryFill()) {
        return body.toByteArray();
      }
      if (body.size() + (long) (limit - pos) > MAX_BODY_BYTES) {
        throw new IOException("body too large");
      }
      body.write(buf, pos, limit - pos);
      pos = limit;
    }
  }

  /** One line without its CRLF (a bare LF is accepted), ISO-8859-1. */
  private String line() throws IOException {
    StringBuilder sb = null;
    while (true) {
      if (pos == limit) {
        fill();
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      int end = pos;
      boolean complete = pos < limit;
      if (complete) {
        pos++; // the LF
      }
      if (sb == null && complete) {
        if (end > start && buf[end - 1] == '\r') {
          end--;
        }
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
      }
      if (sb == null) {
        sb = new StringBuilder(128);
      }
      for (int i = start; i < end; i++) {
        sb.append((char) (buf[i] & 0xff));
      }
      if (sb.length() > MAX_HEADER_BYTES) {
        throw new IOException("line too long");
      }
      if (complete) {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
          sb.setLength(n - 1);
        }
        return sb.toString();
      }
    }
  }

  private void fill() throws IOException {
    if (!tryFill()) {
      throw new EOFException("connection closed before the answer was complete");
    }
  }

  private boolean tryFill() throws IOException {
    socket.setSoTimeout(remainingMillis());
    int n = in.read(buf, 0, buf.length);
    if (n < 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  private int remainingMillis() throws SocketTimeoutException {
    long remaining = (deadline - System.nanoTime()) / 1_000_000;
    if (remaining <= 0) {
      throw new SocketTimeoutException("request timed out");
    }
    return (int) Math.min(remaining, Integer.MAX_VALUE);
  }
}
