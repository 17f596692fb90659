package org.ifpp.line;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.chip.pcsc.PcscStations;
import org.ifpp.line.finalise.DeviceMakerKey;
import org.ifpp.line.finalise.FinalisationRun;
import org.ifpp.line.http.ApacheHttpTransport;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.RetryPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code factory-line finalise}: the device maker's end of production, with signed receipts. */
@Command(
    name = "finalise",
    mixinStandardHelpOptions = true,
    description = {
      "Ends production on each chip with the device maker's signed command (EID, counter) and"
          + " collects the chips' signed receipts into a file for the Key Maker.",
      "Exit status: 0 when every chip was finalised, 1 otherwise."
    })
final class FinaliseCommand implements Callable<Integer> {

  @Option(names = "--chips", required = true, description = "eUICC simulator base URL")
  java.net.URI chips;

  @Option(names = "--eids-file", required = true, description = "the chips, one EID per line")
  Path eidsFile;

  @Option(
      names = "--device-maker-key",
      required = true,
      description = "file with the device maker's EC P-256 private key (PEM); never the key itself")
  Path keyFile;

  @Option(
      names = "--counter",
      description =
          "the commands' counter, greater than any the chips accepted before (default: the time"
              + " now in milliseconds)")
  Long counter;

  @Option(names = "--receipts", required = true, description = "where to write the receipts")
  Path receipts;

  @Option(names = "--stations", defaultValue = "4", description = "chips finalised in parallel")
  int stations;

  @Option(names = "--timeout-ms", defaultValue = "10000", description = "timeout of one call")
  long timeoutMs;

  @Option(
      names = "--broker",
      description = "also hand the receipts to this broker, for the Key Maker (needs --line)")
  java.net.URI broker;

  @Option(
      names = "--line",
      description = "the line's broker credential NAME=SECRET, read from this file (one line)")
  Path lineFile;

  @Option(
      names = "--chip-transport",
      defaultValue = "http",
      description =
          "how stations reach the chips: http (the simulator's finalise API) or pcsc (one vpcd"
              + " PC/SC reader per station, ports 35963.., the BF7A command in STORE DATA)")
  String chipTransport;

  @Override
  public Integer call() throws Exception {
    List<Eid> eids = EidsFile.read(eidsFile);
    DeviceMakerKey key = DeviceMakerKey.read(keyFile);
    Http http =
        new Http(
            new ApacheHttpTransport(Duration.ofSeconds(5), 64, Duration.ofSeconds(20)),
            new RetryPolicy(1, Duration.ofMillis(timeoutMs), Duration.ZERO, Duration.ZERO));
    ChipClient simulator = new ChipClient(http, chips);
    IntFunction<FinalisationRun.Station> station =
        switch (chipTransport) {
          case "http" -> k -> simulator::finalise;
          case "pcsc" -> {
            PcscStations readers =
                new PcscStations(
                    simulator, stations, PcscStations.FIRST_PORT, Duration.ofMillis(timeoutMs));
            yield k -> readers.station(0, k)::finalise;
          }
          default ->
              throw new IllegalArgumentException(
                  "--chip-transport: http or pcsc, not " + chipTransport);
        };
    FinalisationRun.Summary summary =
        new FinalisationRun(station, key, stations, (eid, command) -> {})
            .run(eids, counter != null ? counter : System.currentTimeMillis());
    FinalisationRun.writeReceipts(summary, receipts);
    System.out.println(summary.toText());
    if (broker != null) {
      if (lineFile == null) {
        throw new IllegalArgumentException("--broker needs --line FILE (NAME=SECRET)");
      }
      LineCredential line = LineSetup.readCredentials(lineFile).get(0);
      Http brokerHttp =
          new Http(
              new ApacheHttpTransport(Duration.ofSeconds(5), 8, Duration.ofSeconds(20)),
              new RetryPolicy(
                  5, Duration.ofMillis(timeoutMs), Duration.ofMillis(100), Duration.ofSeconds(2)));
      int kept =
          new BrokerClient(brokerHttp, broker, line.authorization("bearer"), line.name(), false)
              .reportFinalisationReceipts(FinalisationRun.receiptsDocument(summary));
      System.out.println("receipts handed to the broker: " + kept);
    }
    return summary.finalised() == eids.size() ? 0 : 1;
  }
}
