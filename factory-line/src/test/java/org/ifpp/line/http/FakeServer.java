package org.ifpp.line.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A scripted HTTP server on a random port for the line's client tests: every request is recorded
 * (method, path, headers, body) and answered by the test's handler.
 */
public final class FakeServer implements AutoCloseable {

  /** One recorded request. */
  public record Recorded(
      String method, String path, String idempotencyKey, String authorization, String body) {}

  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    void handle(HttpExchange exchange, Recorded request) throws IOException;
  }

  private final HttpServer server;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();

  public FakeServer(Handler handler) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Recorded r =
                new Recorded(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(r);
            handler.handle(exchange, r);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Recorded> requests() {
    return requests;
  }

  public static void reply(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  public static void json(HttpExchange exchange, int status, String json) throws IOException {
    reply(
        exchange,
        status,
        status >= 400 ? "application/problem+json" : "application/json",
        json.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
