package org.ifpp.keymaker.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the Key Maker's API in tests. */
public final class Api {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String token;

  public Api(int port, String token) {
    this.base = "http://localhost:" + port;
    this.token = token;
  }

  public static Api operator(int port) {
    return new Api(port, TestEnvironment.OPERATOR_TOKEN);
  }

  public static Api broker(int port) {
    return new Api(port, TestEnvironment.BROKER_TOKEN);
  }

  /** A response: status, content type and body. */
  public record Response(int status, String contentType, String body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }
  }

  public Response get(String path) {
    return send(builder(path).GET());
  }

  public Response postJson(String path, Object body, String idempotencyKey) {
    HttpRequest.Builder b =
        builder(path)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    body instanceof String s ? s : JSON.writeValueAsString(body)));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(b);
  }

  public Response putJson(String path, Object body) {
    return send(
        builder(path)
            .header("Content-Type", "application/json")
            .PUT(
                HttpRequest.BodyPublishers.ofString(
                    body instanceof String s ? s : JSON.writeValueAsString(body))));
  }

  public Response postJson(String path, Object body) {
    return postJson(path, body, null);
  }

  public Response postBytes(String path, byte[] body, String contentType) {
    return send(
        builder(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private HttpRequest.Builder builder(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Response send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
