package org.ifpp.keymaker.delivery;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.springframework.context.SmartLifecycle;

/**
 * A collector of one of the broker's feeds: its background thread pulls again at once while the
 * broker has more, pauses {@link BrokerProperties#resultsInterval()} when it has no more or a pull
 * failed, and ends when stopped. It starts only when the broker is configured ({@link
 * BrokerProperties#enabled()}). A subclass owns what one page means ({@link #pullOnce()}); its
 * cursor moves through {@link FeedCursorRepository#advance}, so when several Key Makers pull the
 * same feed, one page is decided by one of them.
 */
public abstract class BrokerFeed implements SmartLifecycle {

  private final String threadName;
  private final String feed;
  private final BrokerProperties properties;
  private final Logger log;
  private final AtomicBoolean running = new AtomicBoolean();
  private Thread thread;

  /**
   * @param threadName the thread's name, e.g. {@code result-collector}
   * @param feed what the feed carries, for the log, e.g. {@code result}
   * @param properties the broker's settings (enabled, pause)
   * @param log the collector's logger (a failed pull is logged at warn)
   */
  protected BrokerFeed(String threadName, String feed, BrokerProperties properties, Logger log) {
    this.threadName = threadName;
    this.feed = feed;
    this.properties = properties;
    this.log = log;
  }

  /**
   * Pulls and processes one page.
   *
   * @return true if the broker has more
   */
  public abstract boolean pullOnce() throws IOException, InterruptedException;

  @Override
  public void start() {
    if (!properties.enabled() || !running.compareAndSet(false, true)) {
      return;
    }
    thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running.get()) {
      boolean more = false;
      try {
        more = pullOnce();
      } catch (InterruptedException e) {
        return;
      } catch (FeedCursorRepository.FeedCursorMoved e) {
        // Another Key Maker processed this page first (its transaction won): go on after it.
        log.debug("{}", e.getMessage());
        more = true;
      } catch (Exception e) {
        log.warn("{} pull failed: {}", feed, e.toString());
      }
      if (!more) {
        try {
          Thread.sleep(properties.resultsInterval().toMillis());
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
    }
  }

  @Override
  public boolean isRunning() {
    return running.get();
  }
}
