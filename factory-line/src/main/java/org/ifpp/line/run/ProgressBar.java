package org.ifpp.line.run;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live progress line on stderr: redrawn in place on a terminal, a plain line every few seconds
 * otherwise (logs stay readable). Runs on its own daemon thread until {@link #close()}.
 */
public final class ProgressBar implements AutoCloseable {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final int total;
  private final boolean terminal;
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final long start = System.nanoTime();
  private final Thread thread;
  private volatile boolean running = true;

  public ProgressBar(PrintStream out, int total, boolean terminal) {
    this.out = out;
    this.total = total;
    this.terminal = terminal;
    this.thread = new Thread(this::loop, "progress");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  public void record(DeviceResult result) {
    done.incrementAndGet();
    if (result.outcome() != DeviceResult.Outcome.INSTALLED) {
      failed.incrementAndGet();
    }
  }

  private void loop() {
    long period = terminal ? 200 : 3000;
    while (running) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        draw(false);
      }
    }
  }

  String line() {
    int d = done.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    int filled = total == 0 ? WIDTH : (int) ((long) d * WIDTH / total);
    return String.format(
        "[%s%s] %d/%d %3d%% %7.1f dev/s failed %d",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        d,
        total,
        total == 0 ? 100 : d * 100 / total,
        seconds > 0 ? d / seconds : 0,
        failed.get());
  }

  private synchronized void draw(boolean last) {
    if (terminal) {
      out.print("\r" + line() + (last ? System.lineSeparator() : ""));
    } else {
      out.println(line());
    }
    out.flush();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    draw(true);
  }
}
