package org.ifpp.line.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.chip.ChipStations;
import org.ifpp.line.journal.JournalEntry;
import org.ifpp.line.journal.NoResultReason;
import org.ifpp.line.journal.ResultJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several production lines in parallel. Each line has its own broker credential and its own
 * conveyor of chips (chip i goes to line i mod N, as chips physically sit on one line), and one or
 * more programming stations working that conveyor.
 *
 * <p>Each line journals its chips' signed results in its own file in the journal directory ({@link
 * ResultJournal}); a run first sends what an earlier run of the same line left unanswered there
 * (after a crash, a kill or a stop), and does not program those chips again. While the broker is
 * unavailable the lines wait ({@link Backoff}); {@link #stop()} ends the run cleanly, leaving what
 * could not be delivered in the journals.
 */
public final class ProductionRun {

  private static final Logger log = LoggerFactory.getLogger(ProductionRun.class);

  /**
   * How each line reports its chips' results: in groups of up to {@code size}, sent when full or
   * when the oldest result has waited {@code linger}, and at the end of the run ({@link
   * LineReporter}); size 1: each station reports each chip itself, one call per chip.
   */
  public record ReportBatching(int size, Duration linger) {

    /**
     * 32 results or 500 ms. A line of the demo finishes a chip every 25-50 ms, so a linger of tens
     * of milliseconds would send groups of one or two; half a second gives groups of 10 to 32. The
     * cost: a result waits up to that long in the line's memory (as it waits for the single
     * report's answer today), and the progress bar lags by as much.
     */
    public static final ReportBatching DEFAULT = new ReportBatching(32, Duration.ofMillis(500));

    /** One call per chip, from the station. */
    public static final ReportBatching SINGLE = new ReportBatching(1, Duration.ZERO);

    public ReportBatching {
      if (size < 1 || size > BrokerClient.MAX_REPORT_BATCH) {
        throw new IllegalArgumentException(
            "report batch: 1 to " + BrokerClient.MAX_REPORT_BATCH + " results");
      }
      if (linger == null || linger.isNegative()) {
        throw new IllegalArgumentException("report linger: zero or more");
      }
    }

    boolean single() {
      return size == 1;
    }
  }

  /** One line: its name and its own broker client (its own credential). */
  public record Line(String name, BrokerClient broker) {}

  private final List<Line> lines;
  private final ChipStations chips;
  private final int stationsPerLine;
  private final LineWorker.PackageTap tap;
  private final LineWorker.PackageArrival arrival;
  private final ReportBatching batching;
  private final int claimBatch;
  private final LongAdder reportCalls = new LongAdder();
  private final LongAdder groupedResults = new LongAdder();
  private final Path journalDirectory;
  private final Backoff backoff;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Map<String, ResultJournal> journals = new ConcurrentHashMap<>();

  public ProductionRun(List<Line> lines, ChipClient chips, int stationsPerLine) {
    this(lines, chips, stationsPerLine, LineWorker.PackageTap.NONE);
  }

  public ProductionRun(
      List<Line> lines, ChipClient chips, int stationsPerLine, LineWorker.PackageTap tap) {
    this(lines, chips, stationsPerLine, tap, LineWorker.PackageArrival.NONE);
  }

  /**
   * @param arrival while it says packages may still arrive, a chip whose package the broker does
   *     not hold yet (404) is claimed again after a short pause (50 ms, doubling to 500 ms)
   */
  public ProductionRun(
      List<Line> lines,
      ChipClient chips,
      int stationsPerLine,
      LineWorker.PackageTap tap,
      LineWorker.PackageArrival arrival) {
    this(lines, chips, stationsPerLine, tap, arrival, ReportBatching.DEFAULT);
  }

  /**
   * @param batching how each line groups its reports
   */
  public ProductionRun(
      List<Line> lines,
      ChipClient chips,
      int stationsPerLine,
      LineWorker.PackageTap tap,
      LineWorker.PackageArrival arrival,
      ReportBatching batching) {
    this(lines, chips, stationsPerLine, tap, arrival, batching, DEFAULT_CLAIM_BATCH);
  }

  /**
   * Chips a station claims in one call by default: one request and one broker statement for 8 chips
   * instead of 8, while a station holds at most 8 leases ahead of its chips (a demo station
   * programs a chip in 25-50 ms, far within the lease).
   */
  public static final int DEFAULT_CLAIM_BATCH = 8;

  /**
   * @param batching how each line groups its reports
   * @param claimBatch how many chips a station claims in one call (1 to {@link
   *     BrokerClient#MAX_CLAIM_BATCH}; 1: one claim per chip)
   */
  public ProductionRun(
      List<Line> lines,
      ChipClient chips,
      int stationsPerLine,
      LineWorker.PackageTap tap,
      LineWorker.PackageArrival arrival,
      ReportBatching batching,
      int claimBatch) {
    this(lines, chips, stationsPerLine, tap, arrival, batching, claimBatch, null, Backoff.DEFAULT);
  }

  /**
   * @param journalDirectory where each line journals its results ({@code <line>.journal}); null: a
   *     new temporary directory, which no later run reads (tests and throwaway runs)
   * @param backoff the waits while the broker is unavailable
   */
  public ProductionRun(
      List<Line> lines,
      ChipClient chips,
      int stationsPerLine,
      LineWorker.PackageTap tap,
      LineWorker.PackageArrival arrival,
      ReportBatching batching,
      int claimBatch,
      Path journalDirectory,
      Backoff backoff) {
    this(
        lines,
        ChipStations.shared(chips),
        stationsPerLine,
        tap,
        arrival,
        batching,
        claimBatch,
        journalDirectory,
        backoff);
  }

  /**
   * The same, with each station's own way to its chips ({@link ChipStations}: one PC/SC reader per
   * station).
   */
  public ProductionRun(
      List<Line> lines,
      ChipStations chips,
      int stationsPerLine,
      LineWorker.PackageTap tap,
      LineWorker.PackageArrival arrival,
      ReportBatching batching,
      int claimBatch,
      Path journalDirectory,
      Backoff backoff) {
    if (lines.isEmpty() || stationsPerLine < 1) {
      throw new IllegalArgumentException("at least one line and one station per line");
    }
    if (claimBatch < 1 || claimBatch > BrokerClient.MAX_CLAIM_BATCH) {
      throw new IllegalArgumentException("claim batch: 1 to " + BrokerClient.MAX_CLAIM_BATCH);
    }
    this.claimBatch = claimBatch;
    this.lines = List.copyOf(lines);
    this.chips = chips;
    this.stationsPerLine = stationsPerLine;
    this.tap = tap;
    this.arrival = arrival;
    this.batching = batching;
    this.backoff = backoff;
    try {
      this.journalDirectory =
          journalDirectory != null
              ? journalDirectory
              : Files.createTempDirectory("ifpp-line-journal-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the lines journal their results. */
  public Path journalDirectory() {
    return journalDirectory;
  }

  /**
   * Stops the run: stations take no next chip, nobody waits for the broker any more; what was not
   * delivered stays in the journals for the next run. {@link #run} returns soon after.
   */
  public void stop() {
    stop.countDown();
  }

  /**
   * Runs every chip in {@code eids} through the lines; returns when all are done. Devices whose
   * step got no answer (the broker unreachable for longer than the retries last) get a second pass
   * at the end: an untouched chip is claimed again, a kept signed result is reported again.
   */
  public RunSummary run(List<Eid> eids, Consumer<DeviceResult> progress)
      throws InterruptedException {
    long start = System.nanoTime();
    Map<String, List<JournalEntry>> replay = new LinkedHashMap<>();
    Set<Eid> replayed = new HashSet<>();
    for (Line l : lines) {
      ResultJournal j = ResultJournal.open(journalDirectory, l.name());
      journals.put(l.name(), j);
      List<JournalEntry> left = j.pending();
      if (!left.isEmpty()) {
        log.info(
            "{}: {} result(s) an earlier run left undelivered in {}; sent first",
            l.name(),
            left.size(),
            j.file());
        left.forEach(e -> replayed.add(e.eid()));
      }
      replay.put(l.name(), left);
    }
    try {
      return run(eids, progress, start, replay, replayed);
    } finally {
      journals.values().forEach(ResultJournal::close);
      journals.clear();
    }
  }

  private RunSummary run(
      List<Eid> eids,
      Consumer<DeviceResult> progress,
      long start,
      Map<String, List<JournalEntry>> replay,
      Set<Eid> replayed)
      throws InterruptedException {
    List<LinkedBlockingQueue<Eid>> conveyors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      conveyors.add(new LinkedBlockingQueue<>());
    }
    for (int i = 0; i < eids.size(); i++) {
      // A chip whose journalled result is being sent again is not programmed again.
      if (!replayed.contains(eids.get(i))) {
        conveyors.get(i % lines.size()).add(eids.get(i));
      }
    }
    Map<Eid, DeviceResult> results = new ConcurrentHashMap<>();
    List<DeviceResult> pending = Collections.synchronizedList(new ArrayList<>());
    Consumer<DeviceResult> firstPass =
        r -> {
          results.put(r.eid(), r);
          journalReason(r);
          if (r.recoverable()) {
            pending.add(r);
          } else {
            progress.accept(r);
          }
        };
    work(conveyors, firstPass, replay);

    if (!pending.isEmpty()) {
      List<LinkedBlockingQueue<Eid>> again = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        again.add(new LinkedBlockingQueue<>());
      }
      for (DeviceResult r : pending) {
        int line = lineIndex(r.line());
        if (r.recovery() instanceof DeviceResult.Recovery.Report report) {
          DeviceResult after =
              worker(line, 0, again.get(line), x -> {}, null).reportAgain(r, report);
          results.put(r.eid(), after);
          progress.accept(after);
        } else {
          again.get(line).add(r.eid());
        }
      }
      work(
          again,
          r -> {
            results.put(r.eid(), r);
            journalReason(r);
            progress.accept(r);
          },
          Map.of());
    }
    long nanos = System.nanoTime() - start;
    return RunSummary.of(
        List.copyOf(results.values()),
        lines.size(),
        nanos,
        reportCalls.sum(),
        groupedResults.sum());
  }

  /**
   * Journals the line's reason for a device left without a signed result, for the loading report
   * (the line's loading report); a device never reached has none (not attempted).
   */
  private void journalReason(DeviceResult r) {
    NoResultReason reason = r.noResultReason();
    ResultJournal journal = journals.get(r.line());
    if (reason != null && journal != null) {
      try {
        journal.noResult(r.eid(), reason);
      } catch (RuntimeException e) {
        log.warn("{}: the reason for chip {} was not journalled: {}", r.line(), r.eid(), e);
      }
    }
  }

  /**
   * The stations of every line on their conveyors; first, each line's {@code replay} (results an
   * earlier run journalled and could not deliver) goes to its reporter, or is reported by the line
   * before its stations start when results go singly.
   */
  private void work(
      List<LinkedBlockingQueue<Eid>> conveyors,
      Consumer<DeviceResult> sink,
      Map<String, List<JournalEntry>> replay)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(lines.size() * stationsPerLine);
    List<LineReporter> reporters = new ArrayList<>();
    try {
      for (int i = 0; i < lines.size(); i++) {
        String name = lines.get(i).name();
        ResultJournal journal = journals.get(name);
        LineReporter reporter =
            batching.single()
                ? null
                : new LineReporter(
                    name,
                    lines.get(i).broker(),
                    batching,
                    sink,
                    reportCalls,
                    groupedResults,
                    journal::acknowledgeAll,
                    journal::sync,
                    backoff,
                    stop);
        if (reporter != null) {
          reporters.add(reporter);
        }
        for (JournalEntry e : replay.getOrDefault(name, List.of())) {
          Claim claim = new Claim(e.transactionId(), e.eid(), null, null, null, null);
          String reason = e.installed() ? null : "journal-replay";
          if (reporter != null) {
            reporter.submit(
                new LineReporter.Queued(
                    e.eid(), claim, e.installed(), e.pir(), reason, 0, 0, 0, System.nanoTime()));
          } else {
            DeviceResult kept =
                new DeviceResult(
                    e.eid(),
                    name,
                    DeviceResult.Outcome.ERROR,
                    "report:journal-replay",
                    0,
                    0,
                    0,
                    0,
                    new DeviceResult.Recovery.Report(claim, e.installed(), e.pir()));
            sink.accept(
                worker(i, 0, conveyors.get(i), sink, null)
                    .reportAgain(kept, (DeviceResult.Recovery.Report) kept.recovery()));
          }
        }
        for (int s = 0; s < stationsPerLine; s++) {
          pool.execute(worker(i, s, conveyors.get(i), sink, reporter));
        }
      }
      pool.shutdown();
      while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
        // keep waiting; the progress bar shows that work goes on
      }
    } finally {
      pool.shutdownNow();
      // Every station is done: each reporter sends what it still holds and waits for the answers.
      for (LineReporter r : reporters) {
        r.close();
      }
    }
  }

  private LineWorker worker(
      int line,
      int station,
      LinkedBlockingQueue<Eid> conveyor,
      Consumer<DeviceResult> sink,
      LineReporter reporter) {
    Line l = lines.get(line);
    return new LineWorker(
        l.name(),
        l.broker(),
        chips.station(line, station),
        conveyor,
        sink,
        tap,
        arrival,
        reporter,
        claimBatch,
        journals.get(l.name()),
        backoff,
        stop);
  }

  private int lineIndex(String name) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("unknown line " + name);
  }
}
