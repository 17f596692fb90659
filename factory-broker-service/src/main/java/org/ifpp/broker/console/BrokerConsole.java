package org.ifpp.broker.console;

import java.time.Instant;
import java.util.List;
import org.ifpp.broker.batches.BatchService;
import org.ifpp.broker.batches.PurgeResponse;
import org.springframework.stereotype.Service;

/** What the broker's console shows (views) and does (purge, through the API's service). */
@Service
class BrokerConsole {

  private final ConsoleRepository views;
  private final BatchService batches;

  BrokerConsole(ConsoleRepository views, BatchService batches) {
    this.views = views;
    this.batches = batches;
  }

  /** One snapshot for the live page: per-line totals at a time (rates are their differences). */
  record Snapshot(long at, List<ConsoleRepository.LineTotals> lines) {}

  Snapshot snapshot() {
    return new Snapshot(Instant.now().toEpochMilli(), views.lines());
  }

  List<ConsoleRepository.Failure> lastFailures() {
    return views.lastFailures(20);
  }

  List<ConsoleRepository.BatchCounts> batches() {
    return views.batches(50);
  }

  PurgeResponse purge(String batchId) {
    return batches.purge(batchId);
  }
}
