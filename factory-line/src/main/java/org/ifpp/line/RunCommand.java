package org.ifpp.line;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.line.chip.ChipStations;
import org.ifpp.line.chip.pcsc.PcscStations;
import org.ifpp.line.run.Backoff;
import org.ifpp.line.run.GroupingOptions;
import org.ifpp.line.run.LineWorker;
import org.ifpp.line.run.ProductionRun;
import org.ifpp.line.run.ProgressBar;
import org.ifpp.line.run.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code factory-line run}: plays production lines against the broker and the chips. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Programs chips on N production lines in parallel: for each chip, claim its package by EID at"
          + " the broker, download it, push it into the chip, report the chip's signed result.",
      "Exit status: 0 when every chip was installed, 1 otherwise."
    })
final class RunCommand implements Callable<Integer> {

  @Option(
      names = "--broker",
      required = true,
      split = ",",
      description =
          "broker base URL; several instances (repeat or comma list): line i prefers broker i mod"
              + " n and fails over to the others when its broker gives no answer or a 5xx")
  List<URI> brokers;

  @Option(names = "--chips", required = true, description = "eUICC simulator base URL")
  URI chips;

  @Option(
      names = "--line",
      description = "a line and its broker credential, NAME=SECRET (repeat: one per line)")
  List<String> lineCredentials = new ArrayList<>();

  @Option(
      names = "--lines-file",
      description = "file with one NAME=SECRET per line (e.g. a compose secret)")
  Path linesFile;

  @Option(
      names = "--auth",
      defaultValue = "bearer",
      description = "how a line credential is sent: bearer (the secret) or basic (name:secret)")
  String authScheme;

  @Option(names = "--eids-file", required = true, description = "the chips, one EID per line")
  Path eidsFile;

  @Option(names = "--stations", defaultValue = "1", description = "programming stations per line")
  int stations;

  @Mixin GroupingOptions grouping;

  @Option(
      names = "--attempts",
      defaultValue = "10",
      description = "attempts per broker call (backoff 100 ms to 2 s between them)")
  int attempts;

  @Option(names = "--timeout-ms", defaultValue = "10000", description = "timeout of one attempt")
  long timeoutMs;

  @Option(
      names = "--idempotency-keys",
      description = "send an Idempotency-Key on claims and reports (the broker does not need it)")
  boolean idempotencyKeys;

  @Option(
      names = "--journal-dir",
      defaultValue = "line-journal",
      description =
          "where each line journals its chips' signed results (<line>.journal, fsync'ed) until the"
              + " broker answered them; a run first sends what an earlier one left there")
  Path journalDir;

  @Option(
      names = "--outage-max-wait-ms",
      defaultValue = "30000",
      description =
          "longest wait between tries while the broker is unavailable (from 500 ms, doubling; a"
              + " Retry-After is followed up to 5 minutes); the line waits as long as the outage"
              + " lasts")
  long outageMaxWaitMs;

  @Option(
      names = "--chip-transport",
      defaultValue = "http",
      description =
          "how stations reach the chips: http (the simulator's load API) or pcsc (one vpcd PC/SC"
              + " reader per station, ports 35963.., in APDUs; see scripts/pcsc.sh)")
  String chipTransport;

  @Option(
      names = "--tls-ca",
      description =
          "PEM CA certificate(s) the broker's and the chips' HTTPS certificates must chain to")
  Path tlsCa;

  @Option(
      names = "--tls-client-dir",
      description =
          "directory with each line's client certificate for the broker, <line>.crt and <line>.key"
              + " (ifpp pki's client/)")
  Path tlsClientDir;

  @Mixin ReportOptions report;

  @Option(names = "--json", description = "print the summary as one JSON line on stdout")
  boolean json;

  @Option(names = "--no-progress", description = "no progress bar on stderr")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    List<LineCredential> credentials = new ArrayList<>();
    lineCredentials.forEach(c -> credentials.add(LineCredential.parse(c)));
    if (linesFile != null) {
      credentials.addAll(LineSetup.readCredentials(linesFile));
    }
    if (credentials.isEmpty()) {
      throw new IllegalArgumentException("give at least one --line NAME=SECRET or --lines-file");
    }
    List<Eid> eids = EidsFile.read(eidsFile);
    RunSummary summary = run(credentials, eids);
    System.out.print(json ? summary.toJson() + System.lineSeparator() : summary.toText());
    // The order's loading report, from the journals the run just closed: every device of the
    // order, also those this run did not reach.
    boolean reported =
        report.order == null
            || report.submit(
                eids, journalDir, lines.lines().get(0).broker(), json ? System.err : System.out);
    return summary.failed() == 0 && reported ? 0 : 1;
  }

  /** One shared HTTP client, or one PC/SC reader per station (all of them present first). */
  ChipStations chipStations(LineSetup.Lines setup, int stationCount) {
    switch (chipTransport) {
      case "http" -> {
        return ChipStations.shared(setup.chips());
      }
      case "pcsc" -> {
        List<String> readers = PcscStations.readers();
        for (int k = 0; k < stationCount; k++) {
          if (!readers.contains(PcscStations.readerName(k))) {
            throw new IllegalArgumentException(
                "PC/SC reader "
                    + PcscStations.readerName(k)
                    + " missing for station "
                    + (k + 1)
                    + " of "
                    + stationCount
                    + " (scripts/pcsc.sh start "
                    + stationCount
                    + ")");
          }
        }
        return new PcscStations(
            setup.chips(), stations, PcscStations.FIRST_PORT, Duration.ofMillis(timeoutMs));
      }
      default ->
          throw new IllegalArgumentException(
              "--chip-transport: http or pcsc, not " + chipTransport);
    }
  }

  private LineSetup.Lines lines;

  RunSummary run(List<LineCredential> credentials, List<Eid> eids) throws InterruptedException {
    LineSetup.Lines setup =
        LineSetup.build(
            brokers,
            chips,
            credentials,
            authScheme,
            attempts,
            Duration.ofMillis(timeoutMs),
            idempotencyKeys,
            new LineTls(tlsCa, tlsClientDir));
    lines = setup;
    ChipStations chipStations = chipStations(setup, stations * setup.lines().size());
    ProductionRun run =
        new ProductionRun(
            setup.lines(),
            chipStations,
            stations,
            LineWorker.PackageTap.NONE,
            LineWorker.PackageArrival.NONE,
            grouping.reportBatching(),
            grouping.claimBatch(),
            journalDir,
            new Backoff(
                Duration.ofMillis(Math.min(500, outageMaxWaitMs)),
                Duration.ofMillis(outageMaxWaitMs),
                Duration.ofMinutes(5)));
    // A clean stop (SIGTERM, Ctrl-C): no next chip, no more waiting for the broker; what was not
    // delivered stays in the journal for the next run.
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              run.stop();
              try {
                finished.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "clean-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (noProgress) {
        return run.run(eids, r -> {});
      }
      try (ProgressBar bar = new ProgressBar(System.err, eids.size(), System.console() != null)) {
        return run.run(eids, bar::record);
      }
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running
      }
    }
  }
}
