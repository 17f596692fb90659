package org.ifpp.console;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live console data as server-sent events: each stream sends a JSON snapshot ({@code update}) at
 * once and then every period, until its browser goes away, a send fails, or the timeout (the
 * browser's EventSource then reconnects). One daemon scheduler thread serves all streams; {@link
 * #close()} stops it.
 */
public final class SnapshotStreams implements AutoCloseable {

  private final Duration period;
  private final Duration timeout;
  private final ScheduledExecutorService scheduler;

  public SnapshotStreams(String threadName, Duration period, Duration timeout) {
    this.period = period;
    this.timeout = timeout;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /** A new stream of {@code snapshot}'s answers. */
  public SseEmitter open(Supplier<?> snapshot) {
    SseEmitter emitter = new SseEmitter(timeout.toMillis());
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    Runnable stop =
        () -> {
          ScheduledFuture<?> f = task.get();
          if (f != null) {
            f.cancel(false);
          }
        };
    emitter.onCompletion(stop);
    emitter.onTimeout(stop);
    emitter.onError(e -> stop.run());
    task.set(
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                emitter.send(
                    SseEmitter.event()
                        .name("update")
                        .data(snapshot.get(), MediaType.APPLICATION_JSON));
              } catch (IOException | RuntimeException e) {
                stop.run();
                emitter.completeWithError(e);
              }
            },
            0,
            period.toMillis(),
            TimeUnit.MILLISECONDS));
    return emitter;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
