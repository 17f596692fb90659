package org.ifpp.keymaker.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The outbox dispatcher threads (when a broker is configured): {@code keymaker.broker.dispatchers}
 * of them, each sending its own groups (OutboxDispatcher claims groups with SKIP LOCKED).
 */
public class DeliveryRunner implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRunner.class);

  private final OutboxDispatcher dispatcher;
  private final BrokerProperties properties;
  private final AtomicBoolean running = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  public DeliveryRunner(OutboxDispatcher dispatcher, BrokerProperties properties) {
    this.dispatcher = dispatcher;
    this.properties = properties;
  }

  @Override
  public void start() {
    if (!properties.enabled() || !running.compareAndSet(false, true)) {
      return;
    }
    for (int i = 0; i < properties.dispatchers(); i++) {
      Thread thread = new Thread(this::loop, "outbox-dispatcher-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
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
    threads.forEach(Thread::interrupt);
    for (Thread thread : threads) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    threads.clear();
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
