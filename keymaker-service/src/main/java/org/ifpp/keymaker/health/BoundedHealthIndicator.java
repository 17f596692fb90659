package org.ifpp.keymaker.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A health check that answers within a bounded time: the delegate runs on an executor and a check
 * that has not answered by then is DOWN ({@code "error": "timeout"}). A check still running from an
 * earlier probe is waited for again instead of being started twice, so a hung database or HSM holds
 * at most one thread per check however often the probe asks.
 */
public final class BoundedHealthIndicator implements HealthIndicator {

  private final HealthIndicator delegate;
  private final Duration timeout;
  private final Executor executor;
  private final AtomicReference<CompletableFuture<Health>> running = new AtomicReference<>();

  public BoundedHealthIndicator(HealthIndicator delegate, Duration timeout, Executor executor) {
    this.delegate = delegate;
    this.timeout = timeout;
    this.executor = executor;
  }

  @Override
  public Health health() {
    CompletableFuture<Health> check = running.get();
    if (check == null || check.isDone()) {
      CompletableFuture<Health> fresh = new CompletableFuture<>();
      if (running.compareAndSet(check, fresh)) {
        executor.execute(
            () -> {
              try {
                fresh.complete(delegate.health());
              } catch (RuntimeException e) {
                fresh.complete(
                    Health.down().withDetail("error", e.getClass().getSimpleName()).build());
              }
            });
      }
      check = running.get();
    }
    try {
      return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Health.down()
          .withDetail("error", "timeout")
          .withDetail("timeout", timeout.toString())
          .build();
    } catch (ExecutionException e) {
      return Health.down().withDetail("error", e.getCause().getClass().getSimpleName()).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.down().withDetail("error", "interrupted").build();
    }
  }
}
