package org.ifpp.broker.console;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The lines page's live data: a per-line snapshot every {@link #PERIOD} as a server-sent event
 * ({@code update}); the page turns consecutive snapshots into per-minute rates.
 */
@Component
class LineStreams implements DisposableBean {

  static final Duration PERIOD = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final BrokerConsole console;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-lines");
            t.setDaemon(true);
            return t;
          });

  LineStreams(BrokerConsole console) {
    this.console = console;
  }

  SseEmitter open() {
    SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
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
                        .data(console.snapshot(), MediaType.APPLICATION_JSON));
              } catch (IOException | RuntimeException e) {
                stop.run();
                emitter.completeWithError(e);
              }
            },
            0,
            PERIOD.toMillis(),
            TimeUnit.MILLISECONDS));
    return emitter;
  }

  @Override
  public void destroy() {
    scheduler.shutdownNow();
  }
}
