package org.ifpp.line.http;

import java.time.Duration;

/**
 * How a line retries a call whose outcome it does not know (a timeout, a refused connection, a 5xx,
 * a 429 or 503 with Retry-After). Exponential backoff with full jitter, bounded by {@code
 * maxAttempts}. What may be retried at all is decided by the caller (see {@link Http}): reads and
 * POSTs carrying an Idempotency-Key are safe to repeat; see docs/factory-line.md.
 *
 * @param maxAttempts total attempts, at least 1
 * @param requestTimeout the timeout of one attempt
 * @param initialBackoff the first backoff ceiling
 * @param maxBackoff the largest backoff ceiling (also caps a server's Retry-After)
 */
public record RetryPolicy(
    int maxAttempts, Duration requestTimeout, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max");
    }
  }

  /** Defaults for a production line: 5 attempts, 10 s per attempt, 100 ms to 2 s of backoff. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        5, Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(2));
  }

  /** The backoff ceiling before attempt {@code attempt + 1} (attempt counts from 1). */
  Duration backoffCeiling(int attempt) {
    long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
