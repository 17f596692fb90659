package org.ifpp.line.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lean HTTP/1.1 client on blocking sockets with a keep-alive connection pool, for the line's
 * calls: the calling thread writes the request and reads the answer on its own connection, with no
 * selector thread and no hand-off between threads (the JDK's {@code java.net.http} client cost the
 * line driver about as much CPU per device as the services it drives).
 *
 * <p>What it does: Content-Length and chunked answers, answers delimited by the connection's end,
 * 1xx interim answers skipped, {@code Connection: close} honoured (the next call opens a new
 * connection), a per-attempt deadline covering connect, write and the whole answer, and http or
 * https (the JVM's default TLS settings). A connection that failed or timed out is closed, never
 * reused, so a late answer cannot be taken for the next request's. A connection idle for more than
 * a second is checked before reuse (a server may have closed it meanwhile), and one idle longer
 * than {@code maxIdle} is dropped. What it does not do: proxies, redirects, cookies, compression,
 * HTTP/2. It logs nothing.
 *
 * <p>Why not Apache HttpClient 5 classic: measured by {@code HttpClientCpuBenchmarkTest} (same
 * requests, same JVM and local server, 8 threads, 1 KB POSTs answered with 12 KB, client threads'
 * CPU only), HttpClient 5.5.2 with a pooling connection manager and everything the line does not
 * need turned off cost about 1.4x this client's CPU per request (46-53 against 32-37 us, per round
 * 1.32-1.75x) and 2.3x its garbage, above the 1.3x the project accepts for a library; see
 * docs/factory-line.md. Re-measure before adding a feature this client lacks.
 */
public final class BlockingHttpClient implements HttpTransport, AutoCloseable {

  /** Idle connections checked for a server-side close before reuse. */
  private static final long CHECK_AFTER_NANOS = 1_000_000_000L;

  private final Duration connectTimeout;
  private final long maxIdleNanos;
  private final int maxIdlePerRoute;
  private final Map<String, ArrayDeque<Connection>> idle = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param connectTimeout the longest wait for a TCP (and TLS) connection
   * @param maxIdlePerRoute idle connections kept per host and port (size it to the number of
   *     threads calling that host)
   * @param maxIdle how long an idle connection is kept (keep it under the servers' keep-alive
   *     timeout)
   */
  public BlockingHttpClient(Duration connectTimeout, int maxIdlePerRoute, Duration maxIdle) {
    if (maxIdlePerRoute < 0) {
      throw new IllegalArgumentException("maxIdlePerRoute must not be negative");
    }
    this.connectTimeout = connectTimeout;
    this.maxIdlePerRoute = maxIdlePerRoute;
    this.maxIdleNanos = maxIdle.toNanos();
  }

  /** 64 idle connections per route, kept for 20 s. */
  public BlockingHttpClient(Duration connectTimeout) {
    this(connectTimeout, 64, Duration.ofSeconds(20));
  }

  @Override
  public Response exchange(Request request) throws IOException {
    if (closed) {
      throw new IOException("client closed");
    }
    long deadline = System.nanoTime() + request.timeout().toNanos();
    URI uri = request.uri();
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    String route = (tls ? "https://" : "http://") + host.toLowerCase(Locale.ROOT) + ":" + port;
    Connection connection = lease(route);
    if (connection == null) {
      connection = Connection.open(host, port, tls, connectTimeout, deadline);
    }
    Connection.Answer answer;
    try {
      answer = connection.exchange(request, hostHeader(uri, tls, port), deadline);
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
    if (answer.reusable()) {
      release(route, connection);
    } else {
      connection.close();
    }
    return answer.response();
  }

  private Connection lease(String route) {
    ArrayDeque<Connection> deque = idle.get(route);
    if (deque == null) {
      return null;
    }
    long now = System.nanoTime();
    while (true) {
      Connection c;
      synchronized (deque) {
        c = deque.pollFirst(); // the most recently used: warm, least likely to be closed
      }
      if (c == null) {
        return null;
      }
      long idleFor = now - c.idleSince();
      if (idleFor > maxIdleNanos || (idleFor > CHECK_AFTER_NANOS && !c.stillOpen())) {
        c.close();
        continue;
      }
      return c;
    }
  }

  private void release(String route, Connection c) {
    c.markIdle();
    ArrayDeque<Connection> deque = idle.computeIfAbsent(route, r -> new ArrayDeque<>());
    boolean kept;
    synchronized (deque) {
      kept = !closed && deque.size() < maxIdlePerRoute && deque.offerFirst(c);
    }
    if (!kept) {
      c.close();
    }
  }

  private static String hostHeader(URI uri, boolean tls, int port) {
    String host = uri.getHost();
    boolean defaultPort = uri.getPort() == -1 || port == (tls ? 443 : 80);
    return defaultPort ? host : host + ":" + port;
  }

  /** Closes every idle connection; connections in use are closed when their call ends. */
  @Override
  public void close() {
    closed = true;
    List<Connection> all = new ArrayList<>();
    for (ArrayDeque<Connection> deque : idle.values()) {
      synchronized (deque) {
        all.addAll(deque);
        deque.clear();
      }
    }
    all.forEach(Connection::close);
  }
}
