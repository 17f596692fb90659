package org.ifpp.keymaker.delivery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * The background thread that pulls one of the broker's feeds page by page: it pulls again at once
 * while the broker has more, pauses {@code interval} when it has no more or a pull failed, and
 * stops when interrupted. The collectors own their cursor and page handling ({@link Pull}); this is
 * only their loop and its lifecycle.
 */
public final class BrokerFeed {

  /** Pulls and processes one page of a feed. */
  @FunctionalInterface
  public interface Pull {
    /**
     * @return true if the broker has more
     */
    boolean pullOnce() throws Exception;
  }

  private final String threadName;
  private final String feed;
  private final Duration interval;
  private final Pull pull;
  private final Logger log;
  private final AtomicBoolean running = new AtomicBoolean();
  private Thread thread;

  /**
   * @param threadName the thread's name, e.g. {@code result-collector}
   * @param feed what the feed carries, for the log, e.g. {@code result}
   * @param interval the pause when the broker has no more
   * @param pull one page's pull
   * @param log the collector's logger (failed pulls are logged at warn)
   */
  public BrokerFeed(String threadName, String feed, Duration interval, Pull pull, Logger log) {
    this.threadName = threadName;
    this.feed = feed;
    this.interval = interval;
    this.pull = pull;
    this.log = log;
  }

  /** Starts the thread (once). */
  public void start() {
    if (!running.compareAndSet(false, true)) {
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
        more = pull.pullOnce();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        log.warn("{} pull failed: {}", feed, e.toString());
      }
      if (!more) {
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Stops the thread: it ends at its next pause or interruptible wait. */
  public void stop() {
    running.set(false);
    if (thread != null) {
      thread.interrupt();
    }
  }

  public boolean isRunning() {
    return running.get();
  }
}
