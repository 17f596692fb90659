package org.ifpp.line.services;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;

/** A small JSON client for the demo's operator calls (Key Maker, simulator as the EUM). */
class RestClient {

  private final Http http;
  private final URI base;
  private final String authorization;

  RestClient(Http http, URI base, String bearerToken) {
    this.http = http;
    this.base = base;
    this.authorization = bearerToken == null ? null : "Bearer " + bearerToken;
  }

  JsonNode get(String path) {
    HttpResponse<byte[]> r =
        http.send(() -> builder(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    return answer("GET " + path, r);
  }

  /** POSTs JSON with a fresh Idempotency-Key reused on retries. */
  JsonNode post(String path, Object body) {
    String key = UUID.randomUUID().toString();
    HttpResponse<byte[]> r =
        http.send(
            () ->
                builder(path)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .POST(body == null ? HttpRequest.BodyPublishers.noBody() : Json.body(body))
                    .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return answer("POST " + path, r);
  }

  private HttpRequest.Builder builder(String path) {
    HttpRequest.Builder b = http.request(base.resolve(path)).header("Accept", "application/json");
    return authorization == null ? b : b.header("Authorization", authorization);
  }

  private static JsonNode answer(String what, HttpResponse<byte[]> r) {
    if (r.statusCode() / 100 != 2) {
      throw Json.failure(what, r);
    }
    return r.body().length == 0 ? Json.object() : Json.parse(r.body());
  }
}
