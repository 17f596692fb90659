package org.ifpp.broker.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the broker's API, as a line or the Key Maker would call it. */
public final class BrokerClient {

  public static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http;
  private final String base;

  public BrokerClient(String base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** A response with its body as bytes and helpers to read it as JSON. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    public String code() {
      JsonNode n = json().get("code");
      return n == null ? null : n.asString();
    }
  }

  public Response send(String method, String path, String token, Object body, String... headers) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      List<String> h = new ArrayList<>(List.of(headers));
      for (int i = 0; i + 1 < h.size(); i += 2) {
        b.header(h.get(i), h.get(i + 1));
      }
      HttpRequest.BodyPublisher publisher;
      if (body == null) {
        publisher = HttpRequest.BodyPublishers.noBody();
      } else if (body instanceof byte[] raw) {
        publisher = HttpRequest.BodyPublishers.ofByteArray(raw);
        if (!h.contains("Content-Type")) {
          b.header("Content-Type", "application/json");
        }
      } else if (body instanceof String s) {
        publisher = HttpRequest.BodyPublishers.ofString(s);
        if (!h.contains("Content-Type")) {
          b.header("Content-Type", "application/json");
        }
      } else {
        publisher = HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        b.header("Content-Type", "application/json");
      }
      b.method(method, publisher);
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.headers().map(), r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response get(String path, String token, String... headers) {
    return send("GET", path, token, null, headers);
  }

  public Response post(String path, String token, Object body, String... headers) {
    return send("POST", path, token, body, headers);
  }
}
