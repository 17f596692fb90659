package org.ifpp.line.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.http.HttpCallException;

/**
 * A line's reporter: its stations hand it their chips' signed results and go on to the next chip;
 * it sends them to the broker in groups ({@link BrokerClient#reportBatch}), one request and one
 * broker transaction per group, when it holds {@code batchSize} results or when the oldest has
 * waited {@code linger}, and everything left when it is closed. Each chip's {@link DeviceResult} is
 * emitted when its answer arrives; its report time is the wait in the queue plus the call.
 *
 * <p>Store and forward as with single reports: when a group's call gets no usable answer, each of
 * its results is kept as {@link DeviceResult.Recovery.Report} for the run's second pass. A refusal
 * of one result (e.g. 409 package-reported) is that chip's outcome and touches no other.
 *
 * <p>One call at a time per line, from the reporter's own thread: results queue up meanwhile and go
 * in the next group.
 */
final class LineReporter implements AutoCloseable {

  /** A chip whose signed result waits for its group; times in nanoseconds. */
  record Queued(
      String eid,
      Claim claim,
      boolean installed,
      byte[] pir,
      String reason,
      long claimNanos,
      long downloadNanos,
      long installNanos,
      long queuedAt) {}

  private final String line;
  private final BrokerClient broker;
  private final int batchSize;
  private final long lingerNanos;
  private final Consumer<DeviceResult> sink;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private final Thread thread;
  private boolean closed;
  private final LongAdder calls;
  private final LongAdder sent;

  LineReporter(
      String line,
      BrokerClient broker,
      ProductionRun.ReportBatching batching,
      Consumer<DeviceResult> sink) {
    this(line, broker, batching, sink, new LongAdder(), new LongAdder());
  }

  /**
   * @param calls counts the calls made (answered or not)
   * @param sent counts the results those calls carried
   */
  LineReporter(
      String line,
      BrokerClient broker,
      ProductionRun.ReportBatching batching,
      Consumer<DeviceResult> sink,
      LongAdder calls,
      LongAdder sent) {
    this.calls = calls;
    this.sent = sent;
    this.line = line;
    this.broker = broker;
    this.batchSize = batching.size();
    this.lingerNanos = batching.linger().toNanos();
    this.sink = sink;
    this.thread = new Thread(this::loop, "reporter-" + line);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a chip's result; its {@link DeviceResult} goes to the sink when answered. */
  synchronized void submit(Queued q) {
    if (closed) {
      throw new IllegalStateException("reporter of " + line + " is closed");
    }
    queue.add(q);
    if (queue.size() == 1 || queue.size() >= batchSize) {
      notifyAll(); // starts the linger clock, or a full group goes now
    }
  }

  /** Sends everything still queued and waits for the answers. */
  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    thread.join();
  }

  private void loop() {
    try {
      List<Queued> group;
      while ((group = next()) != null) {
        send(group);
      }
    } catch (InterruptedException e) {
      // Interrupted: whatever is still queued is kept for the second pass, not lost.
      List<Queued> left;
      synchronized (this) {
        left = new ArrayList<>(queue);
        queue.clear();
      }
      long now = System.nanoTime();
      left.forEach(q -> sink.accept(kept(q, "report:interrupted", now)));
    }
  }

  /** The next group to send, waiting as long as it is not due; null once closed and empty. */
  private synchronized List<Queued> next() throws InterruptedException {
    while (true) {
      if (queue.size() >= batchSize || closed && !queue.isEmpty()) {
        return take();
      }
      if (queue.isEmpty()) {
        if (closed) {
          return null;
        }
        wait();
        continue;
      }
      long due = queue.peek().queuedAt() + lingerNanos - System.nanoTime();
      if (due <= 0) {
        return take();
      }
      TimeUnit.NANOSECONDS.timedWait(this, due);
    }
  }

  private List<Queued> take() {
    int n = Math.min(batchSize, queue.size());
    List<Queued> group = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      group.add(queue.poll());
    }
    return group;
  }

  private void send(List<Queued> group) {
    List<BrokerClient.Result> results = new ArrayList<>(group.size());
    for (Queued q : group) {
      results.add(new BrokerClient.Result(q.claim(), q.installed(), q.pir()));
    }
    List<BrokerClient.ResultAnswer> answers;
    calls.increment();
    sent.add(group.size());
    try {
      answers = broker.reportBatch(results);
    } catch (HttpCallException e) {
      long now = System.nanoTime();
      String detail = "report:" + LineWorker.code(e);
      group.forEach(q -> sink.accept(kept(q, detail, now)));
      return;
    } catch (RuntimeException e) {
      // Unexpected (a bug or an unreadable answer): the results are kept, the count stays exact.
      long now = System.nanoTime();
      group.forEach(q -> sink.accept(kept(q, "report:error", now)));
      return;
    }
    long now = System.nanoTime();
    for (int i = 0; i < group.size(); i++) {
      Queued q = group.get(i);
      BrokerClient.ResultAnswer a = answers.get(i);
      if (a.recorded()) {
        sink.accept(
            device(
                q,
                q.installed() ? DeviceResult.Outcome.INSTALLED : DeviceResult.Outcome.REJECTED,
                q.reason(),
                now,
                DeviceResult.Recovery.NONE));
      } else {
        String code = a.code() != null ? a.code() : "http-" + a.status();
        sink.accept(
            device(
                q, DeviceResult.Outcome.ERROR, "report:" + code, now, DeviceResult.Recovery.NONE));
      }
    }
  }

  private DeviceResult kept(Queued q, String detail, long now) {
    return device(
        q,
        DeviceResult.Outcome.ERROR,
        detail,
        now,
        new DeviceResult.Recovery.Report(q.claim(), q.installed(), q.pir()));
  }

  private DeviceResult device(
      Queued q, DeviceResult.Outcome outcome, String detail, long now, DeviceResult.Recovery r) {
    return new DeviceResult(
        q.eid(),
        line,
        outcome,
        detail,
        q.claimNanos(),
        q.downloadNanos(),
        q.installNanos(),
        now - q.queuedAt(),
        r);
  }
}
