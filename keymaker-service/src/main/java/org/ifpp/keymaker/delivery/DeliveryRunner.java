package org.ifpp.keymaker.delivery;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** The single outbox dispatcher thread (when a broker is configured). */
public class DeliveryRunner implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRunner.class);

  private final OutboxDispatcher dispatcher;
  private final BrokerProperties properties;
  private final AtomicBoolean running = new AtomicBoolean();
  private Thread thread;

  public DeliveryRunner(OutboxDispatcher dispatcher, BrokerProperties properties) {
    this.dispatcher = dispatcher;
    this.properties = properties;
  }

  @Override
  public void start() {
    if (!properties.enabled() || !running.compareAndSet(false, true)) {
      return;
    }
    thread = new Thread(this::loop, "outbox-dispatcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running.get()) {
      boolean more;
      try {
        more = dispatcher.dispatchOnce();
      } catch (RuntimeException e) {
        log.error("outbox dispatch failed: {}", e.toString());
        more = false;
      }
      if (!more) {
        try {
          Thread.sleep(properties.dispatchInterval().toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Override
  public void stop() {
    running.set(false);
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running.get();
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }
}
