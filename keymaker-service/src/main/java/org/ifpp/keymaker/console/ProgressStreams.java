package org.ifpp.keymaker.console;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
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
 * Live progress of a binding batch as server-sent events ({@code update}, one JSON snapshot a
 * second) for the batch page; a stream ends when its browser goes away or after {@link #TIMEOUT}
 * (the browser's EventSource then reconnects). One scheduler thread for all streams.
 */
@Component
class ProgressStreams implements DisposableBean {

  static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final long PERIOD_MS = 1000;

  private final KeymakerConsole console;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-progress");
            t.setDaemon(true);
            return t;
          });

  ProgressStreams(KeymakerConsole console) {
    this.console = console;
  }

  SseEmitter open(UUID batchId) {
    console.progress(batchId); // unknown-batch before the stream starts
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
                        .data(console.progress(batchId), MediaType.APPLICATION_JSON));
              } catch (IOException | RuntimeException e) {
                stop.run();
                emitter.completeWithError(e);
              }
            },
            0,
            PERIOD_MS,
            TimeUnit.MILLISECONDS));
    return emitter;
  }

  @Override
  public void destroy() {
    scheduler.shutdownNow();
  }
}
