package org.ifpp.broker.console;

import java.time.Duration;
import org.ifpp.console.SnapshotStreams;
import org.springframework.beans.factory.DisposableBean;
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
  private final SnapshotStreams streams = new SnapshotStreams("console-lines", PERIOD, TIMEOUT);

  LineStreams(BrokerConsole console) {
    this.console = console;
  }

  SseEmitter open() {
    return streams.open(console::snapshot);
  }

  @Override
  public void destroy() {
    streams.close();
  }
}
