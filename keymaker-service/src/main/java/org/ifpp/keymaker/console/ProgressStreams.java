package org.ifpp.keymaker.console;

import java.time.Duration;
import java.util.UUID;
import org.ifpp.console.SnapshotStreams;
import org.ifpp.keymaker.orders.OrderId;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live progress as server-sent events ({@code update}, one JSON snapshot a second): of a binding
 * batch, of a production order, of the latest orders. A stream ends when its browser goes away or
 * after {@link #TIMEOUT} (the browser's EventSource then reconnects). One scheduler thread for all
 * streams.
 */
@Component
class ProgressStreams implements DisposableBean {

  static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Duration PERIOD = Duration.ofSeconds(1);

  private final KeymakerConsole console;
  private final OrdersConsole orders;
  private final SnapshotStreams streams = new SnapshotStreams("console-progress", PERIOD, TIMEOUT);

  ProgressStreams(KeymakerConsole console, OrdersConsole orders) {
    this.console = console;
    this.orders = orders;
  }

  SseEmitter open(UUID batchId) {
    console.progress(batchId); // unknown-batch before the stream starts
    return streams.open(() -> console.progress(batchId));
  }

  SseEmitter open(OrderId orderId) {
    orders.progress(orderId); // unknown-order before the stream starts
    return streams.open(() -> orders.progress(orderId));
  }

  /** The latest orders' progress, as the orders page lists them. */
  SseEmitter latestOrders() {
    return streams.open(orders::latest);
  }

  @Override
  public void destroy() {
    streams.close();
  }
}
