package org.ifpp.keymaker.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class BoundedHealthIndicatorTest {

  final ExecutorService executor = Executors.newCachedThreadPool();
  final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    executor.shutdownNow();
  }

  @Test
  void hangingCheck_isDownWithinTheTimeout_andIsNotStartedTwice() {
    AtomicInteger started = new AtomicInteger();
    BoundedHealthIndicator bounded =
        new BoundedHealthIndicator(
            () -> {
              started.incrementAndGet();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return Health.up().build();
            },
            Duration.ofMillis(200),
            executor);

    long start = System.nanoTime();
    Health first = bounded.health();
    Health second = bounded.health();

    assertThat(first.getStatus()).isEqualTo(Status.DOWN);
    assertThat(first.getDetails()).containsEntry("error", "timeout");
    assertThat(second.getStatus()).isEqualTo(Status.DOWN);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    assertThat(started).hasValue(1);

    release.countDown();
    assertThat(bounded.health().getStatus()).isIn(Status.UP);
  }

  @Test
  void failingCheck_isDown_withoutItsMessage() {
    BoundedHealthIndicator bounded =
        new BoundedHealthIndicator(
            () -> {
              throw new IllegalStateException("secret detail");
            },
            Duration.ofSeconds(1),
            executor);
    Health h = bounded.health();
    assertThat(h.getStatus()).isEqualTo(Status.DOWN);
    assertThat(h.getDetails().toString()).doesNotContain("secret detail");
  }
}
