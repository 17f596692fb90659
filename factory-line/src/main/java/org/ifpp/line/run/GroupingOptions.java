package org.ifpp.line.run;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How a line groups its broker calls, the same options on {@code run} and {@code demo-flow}: the
 * chips a station claims in one call, and the results a line reports in one call
 * (docs/factory-line.md).
 */
public final class GroupingOptions {

  @Option(
      names = "--report-batch",
      defaultValue = "32",
      description =
          "results a line sends to the broker in one call (1 to 100; 1: each station reports each"
              + " chip itself, one call per chip)")
  int reportBatch;

  @Option(
      names = "--claim-batch",
      defaultValue = "8",
      description =
          "chips a station claims (and downloads) in one call (1 to 64; 1: one claim per chip)")
  int claimBatch;

  @Option(
      names = "--report-linger-ms",
      defaultValue = "500",
      description =
          "longest a result waits for its group before the line sends what it has (a demo line"
              + " finishes a chip every 25-50 ms)")
  long reportLingerMs;

  /** The report grouping these options ask for. */
  public ProductionRun.ReportBatching reportBatching() {
    return new ProductionRun.ReportBatching(reportBatch, Duration.ofMillis(reportLingerMs));
  }

  /** The chips a station claims in one call. */
  public int claimBatch() {
    return claimBatch;
  }
}
