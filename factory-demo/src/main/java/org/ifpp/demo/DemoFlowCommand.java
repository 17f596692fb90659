package org.ifpp.demo;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.ifpp.demo.services.KeyMakerClient;
import org.ifpp.demo.services.SimulatorClient;
import org.ifpp.line.LineSetup;
import org.ifpp.line.LineTls;
import org.ifpp.line.chip.pcsc.PcscStations;
import org.ifpp.line.http.ApacheHttpTransport;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.RetryPolicy;
import org.ifpp.line.run.GroupingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code factory-line demo-flow}: see {@link DemoFlow}. */
@Command(
    name = "demo-flow",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole IFPP flow against running services and shows the attacks failing.",
      "The Key Maker operator token is read from DEMO_KEYMAKER_OPERATOR_TOKEN or --operator-token-file.",
      "Exit status: 0 when every device was installed and every attack rejected."
    })
public final class DemoFlowCommand implements Callable<Integer> {

  @Option(names = "--keymaker", required = true)
  URI keymaker;

  @Option(
      names = "--broker",
      required = true,
      split = ",",
      description = "broker base URL; several instances: the lines spread over them (run --broker)")
  List<URI> brokers;

  @Option(names = "--chips", required = true, description = "eUICC simulator base URL")
  URI chips;

  @Option(names = "--lines-file", required = true, description = "NAME=SECRET per line")
  Path linesFile;

  @Option(names = "--operator-token-file")
  Path operatorTokenFile;

  @Option(names = "--devices", defaultValue = "1000")
  int devices;

  @Option(names = "--stations", defaultValue = "1", description = "programming stations per line")
  int stations;

  @Option(
      names = "--chip-transport",
      defaultValue = "http",
      description = "http (the simulator's load API) or pcsc (a vpcd reader per station, APDUs)")
  String chipTransport;

  @Mixin GroupingOptions grouping;

  @Option(names = "--keys-per-chip", defaultValue = "4")
  int keysPerChip;

  @Option(names = "--profiles", required = true, description = "directory of TS.48 *.der UPPs")
  Path profiles;

  @Option(names = "--pool", defaultValue = "demo")
  String pool;

  @Option(
      names = "--first-iccid",
      defaultValue = "1",
      description = "running number of the first ICCID")
  long firstIccid;

  @Option(
      names = "--processes",
      description = "name=pid,... of the services, to report the CPU seconds of each phase")
  String processes;

  @Option(
      names = "--overlap",
      description =
          "start the lines as soon as the first packages are at the broker, while the Key Maker"
              + " delivers the rest (default: when the whole batch is there; on 2 shared cores the"
              + " overlap was not faster, docs/benchmarks.md section 5)")
  boolean overlap;

  @Option(
      names = "--warmup",
      defaultValue = "0",
      description =
          "first run this many other devices through the same flow, untimed, so that the timed"
              + " run sees warm services (docs/benchmarks.md section 5)")
  int warmup;

  @Option(
      names = "--tls-ca",
      description = "PEM CA certificate(s) every service's HTTPS certificate must chain to")
  Path tlsCa;

  @Option(
      names = "--tls-client-dir",
      description = "the lines' client certificates for the broker, <line>.crt and <line>.key")
  Path tlsClientDir;

  @Option(
      names = "--factory",
      defaultValue = "demo-factory",
      description =
          "the factory the production order is for: the Key Maker's target factory, whose lines"
              + " the broker knows")
  String factory;

  @Option(
      names = "--keymaker-ci",
      description =
          "the Key Maker's CI certificate (DER or PEM): the operator's report's certificate chain"
              + " is validated up to it")
  Path keyMakerCi;

  @Option(names = "--out", description = "write report.json (and the operator's report) here")
  Path out;

  @Option(
      names = "--journal-dir",
      description =
          "where the lines journal their chips' signed results (default: line-journal under"
              + " --out, or a temporary directory)")
  Path journalDir;

  @Override
  public Integer call() throws Exception {
    String token =
        operatorTokenFile != null
            ? Files.readString(operatorTokenFile).strip()
            : System.getenv("DEMO_KEYMAKER_OPERATOR_TOKEN");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no Key Maker operator token");
    }
    LineTls tls = new LineTls(tlsCa, tlsClientDir);
    Http ops =
        new Http(
            new ApacheHttpTransport(
                Duration.ofSeconds(5), 64, Duration.ofSeconds(20), tls.serverOnly()),
            new RetryPolicy(
                5, Duration.ofSeconds(120), Duration.ofMillis(200), Duration.ofSeconds(2)));
    LineSetup.Lines lines =
        LineSetup.build(
            brokers,
            chips,
            LineSetup.readCredentials(linesFile),
            "bearer",
            10,
            Duration.ofSeconds(10),
            false,
            tls);
    DemoFlow.Setup setup =
        new DemoFlow.Setup(
            new KeyMakerClient(ops, keymaker, token),
            new SimulatorClient(ops, chips),
            lines,
            ProfileCopies.templates(profiles),
            devices,
            keysPerChip,
            stations,
            pool,
            firstIccid,
            processes,
            overlap,
            warmup,
            grouping.reportBatching(),
            grouping.claimBatch(),
            journalDir != null ? journalDir : out != null ? out.resolve("line-journal") : null);
    DemoFlow flow = new DemoFlow(setup, System.out).order(new DemoOrder(factory, keyMakerCi, out));
    PcscStations readers = null;
    if ("pcsc".equals(chipTransport)) {
      readers =
          new PcscStations(
              lines.chips(), stations, PcscStations.FIRST_PORT, Duration.ofSeconds(10));
      flow.chipStations(readers);
      System.out.printf(
          "   chips over PC/SC: %d vpcd readers (javax.smartcardio, ES10 in APDUs)%n",
          stations * lines.lines().size());
    } else if (!"http".equals(chipTransport)) {
      throw new IllegalArgumentException("--chip-transport: http or pcsc");
    }
    DemoFlow.Report report = flow.run();
    if (readers != null) {
      long loads = report.lineRun().installed() + report.lineRun().failed() + 6;
      System.out.printf(
          "   APDUs: %d over PC/SC for %d loads and the attacks (%.1f per load)%n",
          readers.apdusSent(), loads, readers.apdusSent() / (double) loads);
    }
    String json = Json.MAPPER.writeValueAsString(report);
    if (out != null) {
      Files.writeString(out.resolve("report.json"), json + System.lineSeparator());
    }
    System.out.printf(
        "%n   end to end: %d devices, %.1f installed devices/s from the binding request to the last"
            + " line result verified in the Key Maker; binding %.1f/s%n",
        report.devices(), report.endToEndDevicesPerSecond(), report.bindingsPerSecond());
    boolean ok =
        report.allAttacksRejected()
            && report.lineRun().failed() == 0
            && report.operatorReportVerified();
    System.out.println(
        ok
            ? "   verdict: every device installed, every attack rejected, the operator's report"
                + " verified"
            : "   verdict: FAILED (see above)");
    return ok ? 0 : 1;
  }
}
