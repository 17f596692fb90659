package org.ifpp.line.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.chip.ChipClient;

/**
 * Several production lines in parallel. Each line has its own broker credential and its own
 * conveyor of chips (chip i goes to line i mod N, as chips physically sit on one line), and one or
 * more programming stations working that conveyor.
 */
public final class ProductionRun {

  /** One line: its name and its own broker client (its own credential). */
  public record Line(String name, BrokerClient broker) {}

  private final List<Line> lines;
  private final ChipClient chips;
  private final int stationsPerLine;
  private final LineWorker.PackageTap tap;

  public ProductionRun(List<Line> lines, ChipClient chips, int stationsPerLine) {
    this(lines, chips, stationsPerLine, LineWorker.PackageTap.NONE);
  }

  public ProductionRun(
      List<Line> lines, ChipClient chips, int stationsPerLine, LineWorker.PackageTap tap) {
    if (lines.isEmpty() || stationsPerLine < 1) {
      throw new IllegalArgumentException("at least one line and one station per line");
    }
    this.lines = List.copyOf(lines);
    this.chips = chips;
    this.stationsPerLine = stationsPerLine;
    this.tap = tap;
  }

  /** Runs every chip in {@code eids} through the lines; returns when all are done. */
  public RunSummary run(List<String> eids, Consumer<DeviceResult> progress)
      throws InterruptedException {
    List<LinkedBlockingQueue<String>> conveyors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      conveyors.add(new LinkedBlockingQueue<>());
    }
    for (int i = 0; i < eids.size(); i++) {
      conveyors.get(i % lines.size()).add(eids.get(i));
    }
    ConcurrentLinkedQueue<DeviceResult> results = new ConcurrentLinkedQueue<>();
    Consumer<DeviceResult> sink =
        r -> {
          results.add(r);
          progress.accept(r);
        };
    ExecutorService pool = Executors.newFixedThreadPool(lines.size() * stationsPerLine);
    long start = System.nanoTime();
    try {
      for (int i = 0; i < lines.size(); i++) {
        Line line = lines.get(i);
        for (int s = 0; s < stationsPerLine; s++) {
          pool.execute(
              new LineWorker(line.name(), line.broker(), chips, conveyors.get(i), sink, tap));
        }
      }
      pool.shutdown();
      while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
        // keep waiting; the progress bar shows that work goes on
      }
    } finally {
      pool.shutdownNow();
    }
    long nanos = System.nanoTime() - start;
    return RunSummary.of(
        Collections.unmodifiableList(new ArrayList<>(results)), lines.size(), nanos);
  }
}
