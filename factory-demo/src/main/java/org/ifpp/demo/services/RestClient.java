package org.ifpp.demo.services;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.UUID;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.Request;
import org.ifpp.line.http.Response;

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
    Response r = http.send(() -> builder(path).get().build());
    return answer("GET " + path, r);
  }

  /** The answer's bytes as sent (a file to keep). */
  byte[] getBytes(String path) {
    Response r = http.send(() -> builder(path).get().build());
    if (r.statusCode() / 100 != 2) {
      throw Json.failure("GET " + path, r);
    }
    return r.body();
  }

  /** POSTs JSON with a fresh Idempotency-Key reused on retries. */
  JsonNode post(String path, Object body) {
    String key = UUID.randomUUID().toString();
    Response r =
        http.send(
            () ->
                builder(path)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .post(body == null ? new byte[0] : Json.body(body))
                    .build());
    return answer("POST " + path, r);
  }

  private Request.Builder builder(String path) {
    Request.Builder b = http.request(base.resolve(path)).header("Accept", "application/json");
    return authorization == null ? b : b.header("Authorization", authorization);
  }

  private static JsonNode answer(String what, Response r) {
    if (r.statusCode() / 100 != 2) {
      throw Json.failure(what, r);
    }
    return r.body().length == 0 ? Json.object() : Json.parse(r.body());
  }
}
