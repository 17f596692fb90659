package org.ifpp.keymaker.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

public class BrokerFeedTest {

  private final Logger log = mock(Logger.class);

  /** Pulls and processes one page: the step a collector supplies. */
  interface Pull {
    boolean pullOnce() throws IOException, InterruptedException;
  }

  /** A configured broker whose feeds pause {@code interval} between pulls. */
  public static BrokerProperties properties(Duration interval) {
    return new BrokerProperties(
        "http://broker.invalid",
        "token",
        "factory-1",
        200,
        Duration.ofMillis(500),
        Duration.ofSeconds(10),
        interval,
        1);
  }

  private BrokerFeed feed(Duration interval, Pull pull) {
    return new BrokerFeed("test-collector", "test", properties(interval), log) {
      @Override
      public boolean pullOnce() throws IOException, InterruptedException {
        return pull.pullOnce();
      }
    };
  }

  @Test
  void startsNothingWhenTheBrokerIsNotConfigured() {
    BrokerProperties properties =
        new BrokerProperties(
            "",
            "token",
            "factory-1",
            200,
            Duration.ofMillis(500),
            Duration.ofSeconds(10),
            Duration.ZERO,
            1);
    BrokerFeed feed =
        new BrokerFeed("test-collector", "test", properties, log) {
          @Override
          public boolean pullOnce() {
            throw new AssertionError("pulled without a broker");
          }
        };
    feed.start();
    assertThat(feed.isRunning()).isFalse();
  }

  @Test
  void pullsAgainAtOnceWhileTheBrokerHasMore_thenPausesUntilStopped() throws Exception {
    AtomicInteger pulls = new AtomicInteger();
    List<String> threads = new CopyOnWriteArrayList<>();
    CountDownLatch fourPulls = new CountDownLatch(4);
    BrokerFeed feed =
        feed(
            Duration.ofHours(1),
            () -> {
              threads.add(Thread.currentThread().getName());
              fourPulls.countDown();
              return pulls.incrementAndGet() < 4; // three pages with more, then none
            });

    feed.start();
    feed.start(); // a second start starts no second thread
    assertThat(feed.isRunning()).isTrue();
    assertThat(fourPulls.await(5, TimeUnit.SECONDS)).isTrue();
    stillPulled(pulls, 4); // now in its one-hour pause
    assertThat(threads).containsOnly("test-collector");

    feed.stop();
    assertThat(feed.isRunning()).isFalse();
    stillPulled(pulls, 4);
  }

  @Test
  void aFailedPullIsLoggedAndRetriedAfterThePause() throws Exception {
    CountDownLatch retried = new CountDownLatch(2);
    BrokerFeed feed =
        feed(
            Duration.ofMillis(20),
            () -> {
              retried.countDown();
              throw new IOException("broker answered 503 to a test pull");
            });

    feed.start();
    try {
      assertThat(retried.await(5, TimeUnit.SECONDS)).isTrue();
      verify(log, timeout(5000).atLeastOnce())
          .warn(
              "{} pull failed: {}",
              "test",
              "java.io.IOException: broker answered 503 to a test pull");
    } finally {
      feed.stop();
    }
  }

  @Test
  void anInterruptedPullEndsTheLoop() throws Exception {
    AtomicInteger pulls = new AtomicInteger();
    CountDownLatch pulled = new CountDownLatch(1);
    BrokerFeed feed =
        feed(
            Duration.ZERO,
            () -> {
              pulls.incrementAndGet();
              pulled.countDown();
              throw new InterruptedException();
            });

    feed.start();
    assertThat(pulled.await(5, TimeUnit.SECONDS)).isTrue();
    stillPulled(pulls, 1);
    feed.stop();
  }

  /** The count stays at {@code expected} for 200 ms: the loop pulls no more. */
  private static void stillPulled(AtomicInteger pulls, int expected) {
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(pulls.get()).isEqualTo(expected));
  }
}
