package org.ifpp.line.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpTest {

  private final List<Duration> pauses = new CopyOnWriteArrayList<>();

  private Http http(int attempts, Duration timeout) {
    return new Http(
        Http.newClient(Duration.ofSeconds(2)),
        new RetryPolicy(attempts, timeout, Duration.ofMillis(50), Duration.ofMillis(400)),
        pauses::add);
  }

  private static Request post(Http http, URI uri, String key) {
    return http.request(uri.resolve("/x"))
        .header("Idempotency-Key", key)
        .post("{}".getBytes(StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void serviceUnavailable_isRetried_withTheSameIdempotencyKey() {
    AtomicInteger calls = new AtomicInteger();
    try (FakeServer server =
        new FakeServer(
            (ex, r) ->
                FakeServer.json(ex, calls.incrementAndGet() < 3 ? 503 : 201, "{\"ok\":1}"))) {
      Http http = http(5, Duration.ofSeconds(2));
      Response response = http.send(() -> post(http, server.uri(), "k-1"));

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(server.requests()).hasSize(3);
      assertThat(server.requests())
          .extracting(FakeServer.Recorded::idempotencyKey)
          .containsOnly("k-1");
      assertThat(pauses).hasSize(2);
    }
  }

  @Test
  void clientError_isAFinalAnswer_notRetried() {
    try (FakeServer server =
        new FakeServer((ex, r) -> FakeServer.json(ex, 409, "{\"code\":\"already-claimed\"}"))) {
      Http http = http(5, Duration.ofSeconds(2));
      Response response = http.send(() -> post(http, server.uri(), "k"));

      assertThat(response.statusCode()).isEqualTo(409);
      assertThat(Json.problemCode(response)).isEqualTo("already-claimed");
      assertThat(server.requests()).hasSize(1);
      assertThat(pauses).isEmpty();
    }
  }

  @Test
  void retryAfter_isHonoured_butCappedAtTheMaximumBackoff() {
    AtomicInteger calls = new AtomicInteger();
    try (FakeServer server =
        new FakeServer(
            (ex, r) -> {
              if (calls.incrementAndGet() == 1) {
                ex.getResponseHeaders().add("Retry-After", "30");
                FakeServer.json(ex, 429, "{}");
              } else {
                FakeServer.json(ex, 200, "{}");
              }
            })) {
      Http http = http(3, Duration.ofSeconds(2));
      Response response = http.send(() -> post(http, server.uri(), "k"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(pauses).containsExactly(Duration.ofMillis(400));
    }
  }

  @Test
  void timeout_isRetried_andTheLateAnswerIsNotCounted() {
    AtomicInteger calls = new AtomicInteger();
    try (FakeServer server =
        new FakeServer(
            (ex, r) -> {
              if (calls.incrementAndGet() == 1) {
                try {
                  Thread.sleep(700);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              FakeServer.json(ex, 200, "{\"attempt\":" + calls.get() + "}");
            })) {
      Http http = http(3, Duration.ofMillis(300));
      Response response = http.send(() -> post(http, server.uri(), "k-t"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyText()).contains("\"attempt\":2");
      assertThat(server.requests())
          .extracting(FakeServer.Recorded::idempotencyKey)
          .containsOnly("k-t");
    }
  }

  @Test
  void noAnswerAtAll_failsWithOutcomeUnknown_afterAllAttempts() {
    URI closed;
    try (FakeServer server = new FakeServer((ex, r) -> FakeServer.json(ex, 200, "{}"))) {
      closed = server.uri();
    }
    Http http = http(3, Duration.ofMillis(500));

    assertThatThrownBy(() -> http.send(() -> post(http, closed, "k")))
        .isInstanceOfSatisfying(
            HttpCallException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.outcomeUnknown()).isTrue();
            });
    assertThat(pauses).hasSize(2);
  }

  @Test
  void persistentServerError_returnsTheLastAnswer_afterAllAttempts() {
    try (FakeServer server = new FakeServer((ex, r) -> FakeServer.json(ex, 502, "{}"))) {
      Http http = http(4, Duration.ofSeconds(2));
      Response response = http.send(() -> post(http, server.uri(), "k"));

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(server.requests()).hasSize(4);
      assertThat(pauses).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofMillis(400)));
    }
  }
}
