package org.ifpp.line.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.ifpp.line.http.HttpCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a line rides out an outage of the broker (or of its database): after a call's own retries
 * ({@link org.ifpp.line.http.Http}) found the broker unavailable (no answer, 408, 429, 5xx), the
 * line waits and tries the same step again, for as long as the outage lasts: the first wait {@code
 * first}, doubling up to {@code longest}, or the server's {@code Retry-After} (up to {@code
 * longestRetryAfter}). Every wait is logged; nothing is given up silently. Only a stop of the run
 * ends the waiting, and then the results stay in the line's journal.
 *
 * @param first the first wait
 * @param longest the longest wait without a Retry-After
 * @param longestRetryAfter the longest wait a server's Retry-After is followed for
 */
public record Backoff(Duration first, Duration longest, Duration longestRetryAfter) {

  private static final Logger log = LoggerFactory.getLogger(Backoff.class);

  /** 500 ms doubling to 30 s; a Retry-After followed up to 5 minutes. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));

  public Backoff {
    if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff: 0 < first <= longest");
    }
    if (longestRetryAfter.isNegative()) {
      throw new IllegalArgumentException("backoff: longestRetryAfter >= 0");
    }
  }

  /** One outage as one step of a line sees it: {@link Wait#pause} after each failed try. */
  Wait start(String line, String step, CountDownLatch stop) {
    return new Wait(line, step, stop);
  }

  /** The waits of one step through one outage. */
  final class Wait {
    private final String line;
    private final String step;
    private final CountDownLatch stop;
    private final long since = System.nanoTime();
    private int failures;

    private Wait(String line, String step, CountDownLatch stop) {
      this.line = line;
      this.step = step;
      this.stop = stop;
    }

    /**
     * Waits before the next try after {@code failure}.
     *
     * @return true to try again; false when the run is stopping (or the thread was interrupted):
     *     the caller keeps what it holds (journalled results stay for the next run)
     */
    boolean pause(HttpCallException failure) {
      failures++;
      Duration wait = delay(failure);
      log.warn(
          "{}: broker unavailable for {} ({}); try {} in {} ms, waiting {} s so far",
          line,
          step,
          failure.getMessage(),
          failures + 1,
          wait.toMillis(),
          (System.nanoTime() - since) / 1_000_000_000L);
      try {
        if (stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("{}: stopping while the broker is unavailable; {} left for later", line, step);
          return false;
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** Logs the end of the outage, if there was one. */
    void recovered() {
      if (failures > 0) {
        log.info(
            "{}: broker answers again for {} after {} failed tries, {} s",
            line,
            step,
            failures,
            (System.nanoTime() - since) / 1_000_000_000L);
      }
    }

    private Duration delay(HttpCallException failure) {
      Duration retryAfter = failure.retryAfter().orElse(null);
      if (retryAfter != null && !retryAfter.isZero()) {
        return retryAfter.compareTo(longestRetryAfter) > 0 ? longestRetryAfter : retryAfter;
      }
      long ceiling = Math.min(longest.toMillis(), first.toMillis() << Math.min(failures - 1, 20));
      // Equal jitter: stations of several lines coming back together do not all retry at once.
      return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
  }
}
