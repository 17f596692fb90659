package org.ifpp.line.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.HttpCallException;
import org.ifpp.line.http.Response;
import org.ifpp.line.http.RetryPolicy;
import org.junit.jupiter.api.Test;

class BrokerFailoverTest {

  private static final URI ONE = URI.create("https://broker-1:8080");
  private static final URI TWO = URI.create("https://broker-2:8080");

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final List<String> hosts = new CopyOnWriteArrayList<>();
  private volatile Set<String> down = Set.of();
  private volatile int downStatus = 0; // 0: connection refused, else this status

  /** Answers 200 from every host but those in {@link #down}. */
  private final Http http =
      new Http(
          request -> {
            String host = request.uri().getHost();
            hosts.add(host);
            if (down.contains(host)) {
              if (downStatus == 0) {
                throw new ConnectException("Connection refused: " + host);
              }
              return new Response(downStatus, List.of(), new byte[0]);
            }
            return new Response(200, List.of(), host.getBytes());
          },
          new RetryPolicy(3, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO),
          d -> {});

  private BrokerFailover line(int index) {
    return new BrokerFailover(List.of(ONE, TWO), index, Duration.ofSeconds(5), nanos::get);
  }

  private String call(BrokerFailover brokers) {
    return brokers
        .send(http, base -> http.request(base.resolve("/api/v1/claims")).get().build())
        .bodyText();
  }

  @Test
  void linesPreferBrokerIModN_soThatTheySpreadOverThem() {
    assertThat(List.of(0, 1, 2, 3))
        .extracting(i -> line(i).current())
        .containsExactly(ONE, TWO, ONE, TWO);
  }

  @Test
  void refusedConnection_isRetriedOnTheOtherBroker_andTheFailedOneIsSkippedThen() {
    BrokerFailover brokers = line(0);
    down = Set.of("broker-1");

    assertThat(call(brokers)).isEqualTo("broker-2");
    assertThat(call(brokers)).isEqualTo("broker-2");

    assertThat(hosts).containsExactly("broker-1", "broker-2", "broker-2");
  }

  @Test
  void serverError_failsOverLikeNoAnswer() {
    BrokerFailover brokers = line(1);
    down = Set.of("broker-2");
    downStatus = 503;

    assertThat(call(brokers)).isEqualTo("broker-1");
    assertThat(brokers.current()).isEqualTo(ONE);
  }

  @Test
  void failedBroker_comesBackAfterTheCoolDown() {
    BrokerFailover brokers = line(0);
    down = Set.of("broker-1");
    call(brokers);
    down = Set.of();

    nanos.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(call(brokers)).as("still cooling down").isEqualTo("broker-2");
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(call(brokers)).as("back after the cool-down").isEqualTo("broker-1");
  }

  @Test
  void everyBrokerDown_callFailsAsUnavailable_andTheNextCallStillTriesOne() {
    BrokerFailover brokers = line(0);
    down = Set.of("broker-1", "broker-2");

    assertThatThrownBy(() -> call(brokers))
        .isInstanceOfSatisfying(HttpCallException.class, e -> assertThat(e.unavailable()).isTrue());
    assertThat(hosts).containsExactly("broker-1", "broker-2", "broker-1");

    down = Set.of("broker-1");
    assertThat(call(brokers)).as("no broker is ever dropped for good").isEqualTo("broker-2");
  }

  @Test
  void clientError_isAnAnswer_noFailover() {
    BrokerFailover brokers = line(0);
    down = Set.of("broker-1");
    downStatus = 409;

    assertThat(brokers.send(http, base -> http.request(base).get().build()).statusCode())
        .isEqualTo(409);
    assertThat(brokers.current()).isEqualTo(ONE);
  }
}
