package org.ifpp.keymaker.console;

import java.time.Duration;
import java.util.UUID;
import org.ifpp.console.SnapshotStreams;
import org.springframework.beans.factory.DisposableBean;
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
  private static final Duration PERIOD = Duration.ofSeconds(1);

  private final KeymakerConsole console;
  private final SnapshotStreams streams = new SnapshotStreams("console-progress", PERIOD, TIMEOUT);

  ProgressStreams(KeymakerConsole console) {
    this.console = console;
  }

  SseEmitter open(UUID batchId) {
    console.progress(batchId); // unknown-batch before the stream starts
    return streams.open(() -> console.progress(batchId));
  }

  @Override
  public void destroy() {
    streams.close();
  }
}
