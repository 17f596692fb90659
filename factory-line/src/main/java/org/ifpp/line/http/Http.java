package org.ifpp.line.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The one place where the line's REST clients send requests and retry. A request is retried only
 * when its outcome is unknown or the server asks for it: an I/O failure or timeout, 408, 429, 500,
 * 502, 503, 504. Any other status is a final answer handed to the caller, who decides what it
 * means. Callers make retried POSTs safe by sending the same {@code Idempotency-Key} on every
 * attempt (the request supplier rebuilds the same request).
 */
public final class Http {

  private final HttpTransport client;
  private final RetryPolicy policy;
  private final Sleeper sleeper;

  /** Pauses between attempts; replaced in tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public Http(HttpTransport client, RetryPolicy policy) {
    this(client, policy, d -> Thread.sleep(d.toMillis()));
  }

  public Http(HttpTransport client, RetryPolicy policy, Sleeper sleeper) {
    this.client = client;
    this.policy = policy;
    this.sleeper = sleeper;
  }

  /** A shared keep-alive HTTP/1.1 client (see {@link ApacheHttpTransport}). */
  public static ApacheHttpTransport newClient(Duration connectTimeout) {
    return new ApacheHttpTransport(connectTimeout);
  }

  public RetryPolicy policy() {
    return policy;
  }

  /** A request builder with this policy's per-attempt timeout. */
  public Request.Builder request(URI uri) {
    return Request.newBuilder(uri).timeout(policy.requestTimeout());
  }

  /**
   * Sends with retries and returns the first final answer (any status that is not retryable), or
   * the last retryable answer when attempts run out.
   *
   * @throws HttpCallException when no answer arrived on any attempt
   */
  public Response send(Supplier<Request> request) {
    IOException lastFailure = null;
    Response lastResponse = null;
    for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
      Duration retryAfter = null;
      try {
        Response response = client.exchange(request.get());
        if (!isRetryable(response.statusCode())) {
          return response;
        }
        lastResponse = response;
        retryAfter = retryAfter(response).orElse(null);
      } catch (IOException e) {
        lastFailure = e;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new HttpCallException("interrupted", 0, null, lastFailure);
      }
      if (attempt < policy.maxAttempts()) {
        pause(attempt, retryAfter);
      }
    }
    if (lastResponse != null) {
      return lastResponse;
    }
    throw new HttpCallException(
        "no answer after "
            + policy.maxAttempts()
            + " attempts: "
            + (lastFailure == null ? "?" : lastFailure.getClass().getSimpleName()),
        0,
        null,
        lastFailure);
  }

  /** True for the statuses retried: 408, 429, 500, 502, 503, 504. */
  public static boolean isRetryable(int status) {
    return status == 408
        || status == 429
        || status == 500
        || status == 502
        || status == 503
        || status == 504;
  }

  private void pause(int attempt, Duration retryAfter) {
    Duration ceiling = policy.backoffCeiling(attempt);
    Duration wait =
        retryAfter != null
            ? (retryAfter.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : retryAfter)
            : Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling.toMillis() + 1));
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpCallException("interrupted", 0, null, e);
    }
  }

  /** The answer's {@code Retry-After} in its delay-seconds form, if present. */
  static Optional<Duration> retryAfter(Response response) {
    return response
        .header("Retry-After")
        .flatMap(
            v -> {
              try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }
}
