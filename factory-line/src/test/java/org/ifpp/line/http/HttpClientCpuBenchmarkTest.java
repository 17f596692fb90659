package org.ifpp.line.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A benchmark, not a test: skipped unless {@code -Dline.bench=true}. CPU per request of the line's
 * {@link BlockingHttpClient} and of Apache HttpClient 5 classic (pooling connection manager sized
 * for the threads, keep-alive, no cookies, redirects, auth caching, compression or automatic
 * retries, the answer read as bytes), both behind {@link HttpTransport} and fed the same {@link
 * Request}s, in the same JVM, against the same local server (com.sun.net.httpserver answering 12 KB
 * to POSTs of 1 KB). Only the client threads' CPU is counted (ThreadMXBean per thread), so the
 * server's cost does not count. The clients are measured in alternating rounds after a warm-up of
 * each. Properties: {@code line.bench.n} (requests per round, 50,000), {@code line.bench.warmup}
 * (per client, 30,000), {@code line.bench.threads} (8), {@code line.bench.rounds} (2 per client).
 * See docs/factory-line.md.
 */
@EnabledIfSystemProperty(named = "line.bench", matches = "true")
class HttpClientCpuBenchmarkTest {

  private static final int REQUEST_BYTES = 1024;
  private static final int ANSWER_BYTES = 12 * 1024;

  @Test
  void cpuPerRequest_blockingClientVersusHttpClient5() throws Exception {
    int n = Integer.getInteger("line.bench.n", 50_000);
    int warmUp = Integer.getInteger("line.bench.warmup", 30_000);
    int threads = Integer.getInteger("line.bench.threads", 8);
    int rounds = Integer.getInteger("line.bench.rounds", 2);

    // Without TCP_NODELAY the JDK server writes headers and body as two segments, and Nagle plus
    // delayed ACKs hold every answer about 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] answer = new byte[ANSWER_BYTES];
    Arrays.fill(answer, (byte) 'a');
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    ExecutorService serverThreads = Executors.newFixedThreadPool(threads);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
          }
        });
    server.setExecutor(serverThreads);
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/claims");
    byte[] body = new byte[REQUEST_BYTES];
    Arrays.fill(body, (byte) 'b');

    try (BlockingHttpClient blocking =
            new BlockingHttpClient(Duration.ofSeconds(5), threads * 2, Duration.ofSeconds(20));
        ApacheTransport apache = new ApacheTransport(threads, Duration.ofSeconds(5))) {
      List<String> names = List.of("BlockingHttpClient", "HttpClient 5 classic");
      List<HttpTransport> clients = List.of(blocking, apache);
      for (int c = 0; c < clients.size(); c++) {
        Figures w = run(clients.get(c), uri, body, warmUp, threads);
        System.out.printf(
            Locale.ROOT, "warm-up %-22s %s%n", names.get(c), w.format(warmUp, threads));
      }
      double[][] cpu = new double[clients.size()][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < clients.size(); c++) {
          Figures f = run(clients.get(c), uri, body, n, threads);
          cpu[c][r] = f.cpuMicrosPerRequest(n);
          System.out.printf(
              Locale.ROOT, "round %d %-22s %s%n", r + 1, names.get(c), f.format(n, threads));
        }
      }
      double blockingBest = Arrays.stream(cpu[0]).min().orElseThrow();
      double apacheBest = Arrays.stream(cpu[1]).min().orElseThrow();
      System.out.printf(
          Locale.ROOT,
          "BEST client CPU per request: BlockingHttpClient %.1f us, HttpClient 5 %.1f us, ratio"
              + " %.2f (%d threads, %d B POST, %d B answer, %d requests per round)%n",
          blockingBest,
          apacheBest,
          apacheBest / blockingBest,
          threads,
          REQUEST_BYTES,
          ANSWER_BYTES,
          n);
    } finally {
      server.stop(0);
      serverThreads.shutdownNow();
    }
  }

  /** CPU, allocation and wall time of {@code n} requests on {@code threads} client threads. */
  private static Figures run(HttpTransport client, URI uri, byte[] body, int n, int threads)
      throws Exception {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    AtomicLong cpuNanos = new AtomicLong();
    AtomicLong allocated = new AtomicLong();
    AtomicLong answerBytes = new AtomicLong();
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CyclicBarrier end = new CyclicBarrier(threads + 1);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      int share = n / threads + (t < n % threads ? 1 : 0);
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                  long cpu0 = mx.getCurrentThreadCpuTime();
                  long alloc0 = mx.getCurrentThreadAllocatedBytes();
                  long bytes = 0;
                  for (int i = 0; i < share; i++) {
                    // Built like the line's claims: bearer token, Idempotency-Key, JSON.
                    Request request =
                        Request.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer line-01-secret-0123456789abcdef")
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json")
                            .post(body)
                            .build();
                    Response response = client.exchange(request);
                    if (response.statusCode() != 200) {
                      throw new IllegalStateException("status " + response.statusCode());
                    }
                    bytes += response.body().length;
                  }
                  cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                  allocated.addAndGet(mx.getCurrentThreadAllocatedBytes() - alloc0);
                  answerBytes.addAndGet(bytes);
                } catch (Throwable e) {
                  failures.add(e);
                } finally {
                  try {
                    end.await();
                  } catch (Exception ignored) {
                    // the main thread reports the failure
                  }
                }
              },
              "bench-client-" + t);
      worker.start();
      workers.add(worker);
    }
    start.await();
    long wall0 = System.nanoTime();
    end.await();
    long wall = System.nanoTime() - wall0;
    for (Thread w : workers) {
      w.join();
    }
    assertThat(failures).isEmpty();
    assertThat(answerBytes.get()).isEqualTo((long) n * ANSWER_BYTES);
    return new Figures(cpuNanos.get(), allocated.get(), wall);
  }

  private record Figures(long cpuNanos, long allocatedBytes, long wallNanos) {
    double cpuMicrosPerRequest(int n) {
      return cpuNanos / 1000.0 / n;
    }

    String format(int n, int threads) {
      return String.format(
          Locale.ROOT,
          "client CPU %6.1f us/request, allocated %6.1f KB/request, %6.0f requests/s (%d threads)",
          cpuMicrosPerRequest(n),
          allocatedBytes / 1024.0 / n,
          n / (wallNanos / 1e9),
          threads);
    }
  }

  /**
   * Apache HttpClient 5 classic behind {@link HttpTransport}, configured as the line would use it:
   * a pool sized for the calling threads, keep-alive, idle connections validated after a second,
   * nothing the line does not need (cookies, redirects, auth caching, content compression, the
   * library's own retries: {@link Http} decides what is retried), and the per-attempt timeout as
   * the connect, pool-lease and response (socket read) timeouts.
   */
  static final class ApacheTransport implements HttpTransport, AutoCloseable {

    private final CloseableHttpClient client;

    private record Config(Duration timeout, RequestConfig config) {}

    private volatile Config last;

    ApacheTransport(int threads, Duration connectTimeout) {
      PoolingHttpClientConnectionManager pool =
          PoolingHttpClientConnectionManagerBuilder.create()
              .setMaxConnTotal(threads * 2)
              .setMaxConnPerRoute(threads * 2)
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
              .evictIdleConnections(TimeValue.ofSeconds(20))
              .build();
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
}
