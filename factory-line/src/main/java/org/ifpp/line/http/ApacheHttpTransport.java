package org.ifpp.line.http;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The line's HTTP transport: Apache HttpClient 5 classic, blocking, with a keep-alive connection
 * pool, so the calling thread writes the request and reads the answer itself (no selector thread,
 * no hand-off: the JDK's {@code java.net.http} client cost the line driver 2.6 ms of CPU per device
 * on 2026-11-27, about as much as the services it drives; with this transport the whole driver
 * costs about 0.4 ms per device over plain HTTP and 0.6 ms with TLS, the driver's CPU in
 * docs/benchmarks.md section 5).
 *
 * <p>Configured for what the line needs and nothing else: a pool sized for the calling threads,
 * TCP_NODELAY, idle connections validated after a second and evicted after {@code maxIdle}; no
 * cookies, redirects, auth caching, content compression or library retries ({@link Http} alone
 * decides what is repeated, and only with the same Idempotency-Key). The per-attempt timeout of
 * {@link Request#timeout()} bounds the wait for a pooled connection and for each read of the
 * answer. It logs nothing of its own (the library's loggers stay at their defaults, which print no
 * bodies).
 *
 * <p>Measured against a hand-written blocking client (docs/factory-line.md): about 1.4x its CPU per
 * request, 13-15 us more per call, a few dozen microseconds per device against the line's 5-6 ms of
 * CPU per device over all processes: not worth owning an HTTP/1.1 parser.
 */
public final class ApacheHttpTransport implements HttpTransport, AutoCloseable {

  private final CloseableHttpClient client;

  private record Config(Duration timeout, RequestConfig config) {}

  private volatile Config last;

  /**
   * @param connectTimeout the longest wait for a TCP (and TLS) connection
   * @param maxConnections connections kept per host and in all (size it to the calling threads)
   * @param maxIdle how long an idle connection is kept (keep it under the servers' keep-alive
   *     timeout)
   */
  public ApacheHttpTransport(Duration connectTimeout, int maxConnections, Duration maxIdle) {
    this(connectTimeout, maxConnections, maxIdle, null);
  }

  /**
   * @param tls for {@code https} URLs: the trusted CA and the client's certificate, if any (host
   *     names are verified); null for the JDK's default trust
   */
  public ApacheHttpTransport(
      Duration connectTimeout, int maxConnections, Duration maxIdle, SSLContext tls) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    PoolingHttpClientConnectionManagerBuilder builder =
        PoolingHttpClientConnectionManagerBuilder.create();
    if (tls != null) {
      builder.setTlsSocketStrategy(new DefaultClientTlsStrategy(tls));
    }
    PoolingHttpClientConnectionManager pool =
        builder
            .setMaxConnTotal(maxConnections)
            .setMaxConnPerRoute(maxConnections)
            .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(connectTimeout))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                    .setTimeToLive(TimeValue.ofMinutes(10))
                    .build())
            .build();
    client =
        HttpClients.custom()
            .setConnectionManager(pool)
            .disableCookieManagement()
            .disableRedirectHandling()
            .disableAuthCaching()
            .disableContentCompression()
            .disableAutomaticRetries()
            .disableConnectionState()
            .evictIdleConnections(TimeValue.of(maxIdle))
            .build();
  }

  /** 64 connections, idle ones kept for 20 s. */
  public ApacheHttpTransport(Duration connectTimeout) {
    this(connectTimeout, 64, Duration.ofSeconds(20));
  }

  @Override
  public Response exchange(Request request) throws IOException {
    HttpUriRequestBase out = new HttpUriRequestBase(request.method(), request.uri());
    for (Request.Header h : request.headers()) {
      out.addHeader(h.name(), h.value());
    }
    if (request.body() != null) {
      out.setEntity(new ByteArrayEntity(request.body(), null));
    }
    out.setConfig(config(request.timeout()));
    return client.execute(
        out,
        answer -> {
          HttpEntity entity = answer.getEntity();
          byte[] bytes = entity == null ? new byte[0] : EntityUtils.toByteArray(entity);
          Header[] raw = answer.getHeaders();
          List<Request.Header> headers = new ArrayList<>(raw.length);
          for (Header h : raw) {
            headers.add(new Request.Header(h.getName(), h.getValue()));
          }
          return new Response(answer.getCode(), headers, bytes);
        });
  }

  private RequestConfig config(Duration timeout) {
    Config c = last;
    if (c == null || !c.timeout().equals(timeout)) {
      c =
          new Config(
              timeout,
              RequestConfig.custom()
                  .setConnectionRequestTimeout(Timeout.of(timeout))
                  .setResponseTimeout(Timeout.of(timeout))
                  .build());
      last = c;
    }
    return c.config();
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
