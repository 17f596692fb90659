package org.ifpp.line;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.ifpp.crypto.ids.Eid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code factory-line report}: an order's loading report, on demand, from the lines' journals. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the loading report (ifpp-loading-report/1) of a production order from the lines'"
          + " journals: every device of --eids-file, installed or failed with the chip's signed"
          + " result, or no result with the line's reason; and submits it through the broker with"
          + " the first line's credential. The same report sent again is answered the same.",
      "Exit status: 0 when the broker took the report, 1 otherwise."
    })
final class ReportCommand implements Callable<Integer> {

  @Option(names = "--broker", required = true, description = "broker base URL")
  URI broker;

  @Option(
      names = "--lines-file",
      required = true,
      description = "file with one NAME=SECRET per line; the first line submits the report")
  Path linesFile;

  @Option(
      names = "--auth",
      defaultValue = "bearer",
      description = "how a line credential is sent: bearer (the secret) or basic (name:secret)")
  String authScheme;

  @Option(
      names = "--eids-file",
      required = true,
      description = "the order's devices, one EID per line")
  Path eidsFile;

  @Option(
      names = "--journal-dir",
      defaultValue = "line-journal",
      description = "the lines' journals")
  Path journalDir;

  @Option(names = "--tls-ca", description = "PEM CA certificate(s) the broker must chain to")
  Path tlsCa;

  @Option(
      names = "--tls-client-dir",
      description = "the lines' client certificates (<line>.crt/.key)")
  Path tlsClientDir;

  @Option(names = "--timeout-ms", defaultValue = "30000", description = "timeout of one attempt")
  long timeoutMs;

  @Mixin ReportOptions report;

  @Override
  public Integer call() throws Exception {
    if (report.order == null) {
      throw new IllegalArgumentException("--order ORDER_ID is required");
    }
    List<Eid> eids = EidsFile.read(eidsFile);
    List<LineCredential> credentials = LineSetup.readCredentials(linesFile);
    if (credentials.isEmpty()) {
      throw new IllegalArgumentException("no line credential in " + linesFile);
    }
    LineSetup.Lines setup =
        LineSetup.build(
            List.of(broker),
            broker,
            credentials.subList(0, 1),
            authScheme,
            5,
            Duration.ofMillis(timeoutMs),
            false,
            new LineTls(tlsCa, tlsClientDir));
    return report.submit(eids, journalDir, setup.lines().get(0).broker(), System.out) ? 0 : 1;
  }
}
