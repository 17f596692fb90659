package org.ifpp.line.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.http.HttpCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's reporter: its stations hand it their chips' signed results and go on to the next chip;
 * it sends them to the broker in groups ({@link BrokerClient#reportBatch}), one request and one
 * broker transaction per group, when it holds {@code batchSize} results or when the oldest has
 * waited {@code linger}, and everything left when it is closed. Each chip's {@link DeviceResult} is
 * emitted when its answer arrives; its report time is the wait in the queue plus the call.
 *
 * <p>Every result it receives is already in the line's journal (the station wrote it first). While
 * the broker is unavailable (no answer, 408, 429, 5xx) the reporter waits and sends the same group
 * again ({@link Backoff}), for as long as the outage lasts. Each result the broker answered is
 * acknowledged ({@code answered}: the journal forgets it; then {@code onRecorded}, e.g. the chip's
 * notification removed). A refusal of the whole call (a 4xx), or a stop of the run while the broker
 * is unavailable, keeps each of its results as {@link DeviceResult.Recovery.Report} for the run's
 * second pass, and in the journal for the next run. A refusal of one result (e.g. 409
 * package-reported) is that chip's outcome and touches no other.
 *
 * <p>One call at a time per line, from the reporter's own thread: results queue up meanwhile and go
 * in the next group.
 */
final class LineReporter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LineReporter.class);

  /**
   * A chip whose signed result waits for its group; times in nanoseconds.
   *
   * @param onRecorded run once the broker recorded the result (after {@code answered}), or null
   */
  record Queued(
      Eid eid,
      Claim claim,
      boolean installed,
      byte[] pir,
      String reason,
      long claimNanos,
      long downloadNanos,
      long installNanos,
      long queuedAt,
      Runnable onRecorded) {

    Queued(
        Eid eid,
        Claim claim,
        boolean installed,
        byte[] pir,
        String reason,
        long claimNanos,
        long downloadNanos,
        long installNanos,
        long queuedAt) {
      this(
          eid,
          claim,
          installed,
          pir,
          reason,
          claimNanos,
          downloadNanos,
          installNanos,
          queuedAt,
          null);
    }
  }

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
  private final Consumer<List<TransactionId>> answered;
  private final Runnable beforeSend;
  private final Backoff backoff;
  private final CountDownLatch stop;

  LineReporter(
      String line,
      BrokerClient broker,
      ProductionRun.ReportBatching batching,
      Consumer<DeviceResult> sink) {
    this(
        line,
        broker,
        batching,
        sink,
        new LongAdder(),
        new LongAdder(),
        ids -> {},
        () -> {},
        Backoff.DEFAULT,
        new CountDownLatch(1));
  }

  /**
   * @param calls counts the calls made (answered or not)
   * @param sent counts the results those calls carried
   * @param answered told, once per answer of the broker, the transactionIds of the results it
   *     answered (recorded or refused for good): the line's journal forgets them
   * @param backoff how long to wait between tries while the broker is unavailable
   * @param stop counted down when the run stops: the reporter waits no more
   */
  LineReporter(
      String line,
      BrokerClient broker,
      ProductionRun.ReportBatching batching,
      Consumer<DeviceResult> sink,
      LongAdder calls,
      LongAdder sent,
      Consumer<List<TransactionId>> answered,
      Runnable beforeSend,
      Backoff backoff,
      CountDownLatch stop) {
    this.answered = answered;
    this.beforeSend = beforeSend;
    this.backoff = backoff;
    this.stop = stop;
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
    try {
      beforeSend.run(); // durable before the broker may see them
    } catch (RuntimeException e) {
      log.error("{}: the journal could not be synced: {}", line, e.getMessage());
      long now = System.nanoTime();
      group.forEach(q -> sink.accept(kept(q, "journal:unsynced", now)));
      return;
    }
    Backoff.Wait outage = null;
    while (true) {
      calls.increment();
      sent.add(group.size());
      try {
        answers = broker.reportBatch(results);
        break;
      } catch (HttpCallException e) {
        if (e.unavailable() && !Thread.currentThread().isInterrupted()) {
          if (outage == null) {
            outage = backoff.start(line, "a report of " + group.size() + " results", stop);
          }
          if (outage.pause(e)) {
            continue;
          }
        }
        // Refused as a whole, or stopping: every result stays journalled and goes to the second
        // pass.
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
    }
    if (outage != null) {
      outage.recovered();
    }
    long now = System.nanoTime();
    List<TransactionId> ids = new ArrayList<>(group.size());
    group.forEach(q -> ids.add(q.claim().transactionId()));
    answered.accept(ids);
    for (int i = 0; i < group.size(); i++) {
      Queued q = group.get(i);
      BrokerClient.ResultAnswer a = answers.get(i);
      if (a.recorded()) {
        LineWorker.afterRecorded(q.onRecorded());
        sink.accept(
            device(
                q,
                q.installed() ? DeviceResult.Outcome.INSTALLED : DeviceResult.Outcome.REJECTED,
                q.reason(),
                now,
                DeviceResult.Recovery.NONE));
      } else {
        String code = a.code() != null ? a.code() : "http-" + a.status();
        log.warn(
            "{}: the broker refused the result of {} (chip {}): {}",
            line,
            q.claim().transactionId(),
            q.eid(),
            code);
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
        new DeviceResult.Recovery.Report(q.claim(), q.installed(), q.pir(), q.onRecorded()));
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
