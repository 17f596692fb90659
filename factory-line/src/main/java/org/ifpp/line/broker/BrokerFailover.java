package org.ifpp.line.broker;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.HttpCallException;
import org.ifpp.line.http.Request;
import org.ifpp.line.http.Response;

/**
 * The broker instances one line talks to (docs/factory-line.md, "Several brokers"): line {@code i}
 * of a run prefers instance {@code i mod n}, so that the lines spread over them. An attempt that
 * gets no usable answer from an instance (connection refused, unknown host, timeout, 408, 429, 5xx)
 * sets that instance aside for a cool-down, and the next attempt goes to the next instance; after
 * the cool-down the instance is tried again. Safe because every instance serves the same database:
 * a line's claim is the same in each, and a retried claim or report gets the first answer.
 */
public final class BrokerFailover {

  /** How long an instance that failed is passed over. */
  public static final Duration COOL_DOWN = Duration.ofSeconds(5);

  private final List<URI> instances;
  private final int preferred;
  private final long coolDownNanos;
  private final LongSupplier nanoClock;
  private final long[] setAsideUntil;
  private final long[] failedAs; // the instance's last failure's number: 1, 2, ... (0: none)
  private long failures;

  BrokerFailover(List<URI> instances, int preferred, Duration coolDown, LongSupplier nanoClock) {
    if (instances.isEmpty()) {
      throw new IllegalArgumentException("at least one broker URL");
    }
    this.instances = List.copyOf(instances);
    this.preferred = Math.floorMod(preferred, instances.size());
    this.coolDownNanos = coolDown.toNanos();
    this.nanoClock = nanoClock;
    this.setAsideUntil = new long[instances.size()];
    this.failedAs = new long[instances.size()];
    java.util.Arrays.fill(setAsideUntil, nanoClock.getAsLong());
  }

  /** Line {@code lineIndex}'s view of {@code brokers}: it prefers {@code lineIndex mod n}. */
  public static BrokerFailover forLine(List<URI> brokers, int lineIndex) {
    return new BrokerFailover(brokers, lineIndex, COOL_DOWN, System::nanoTime);
  }

  /** A single broker: nothing to fail over to. */
  public static BrokerFailover single(URI broker) {
    return forLine(List.of(broker), 0);
  }

  public List<URI> instances() {
    return instances;
  }

  /**
   * The instance for the next attempt: the first one, from the preferred one on, that is not set
   * aside; when all are, the one that failed least recently.
   */
  public synchronized URI current() {
    long now = nanoClock.getAsLong();
    int oldest = preferred;
    for (int k = 0; k < instances.size(); k++) {
      int i = (preferred + k) % instances.size();
      if (setAsideUntil[i] - now <= 0) {
        return instances.get(i);
      }
      if (failedAs[i] < failedAs[oldest]) {
        oldest = i;
      }
    }
    return instances.get(oldest);
  }

  /** Sets {@code instance} aside for the cool-down: it gave no usable answer. */
  public synchronized void failed(URI instance) {
    int i = instances.indexOf(instance);
    if (i >= 0) {
      setAsideUntil[i] = nanoClock.getAsLong() + coolDownNanos;
      failedAs[i] = ++failures;
    }
  }

  /**
   * Sends with {@code http}'s retries, each attempt to the {@link #current} instance ({@code
   * request} builds the attempt's request against that instance's base URL). {@link Http} asks for
   * a request once per attempt, so a second request means the attempt before got no usable answer:
   * its instance is set aside, and so is the last one when the call ends without a usable answer.
   */
  public Response send(Http http, Function<URI, Request> request) {
    URI[] last = new URI[1];
    try {
      Response response =
          http.send(
              () -> {
                if (last[0] != null) {
                  failed(last[0]);
                }
                last[0] = current();
                return request.apply(last[0]);
              });
      if (Http.isRetryable(response.statusCode())) {
        failed(last[0]);
      }
      return response;
    } catch (HttpCallException e) {
      if (last[0] != null && e.unavailable()) {
        failed(last[0]);
      }
      throw e;
    }
  }
}
