package org.ifpp.line;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.http.HttpCallException;
import org.ifpp.line.journal.AcceptedReports;
import org.ifpp.line.journal.NoResultReason;
import org.ifpp.line.report.LoadingReport;
import picocli.CommandLine.Option;

/**
 * The loading report's options, shared by {@code run --order} (the report at the end of a run) and
 * {@code report} (on demand), and the one way both make, keep and submit it.
 */
final class ReportOptions {

  @Option(
      names = "--order",
      description =
          "the production order (UUID) the chips of --eids-file belong to: its loading report is"
              + " written from the lines' journals and submitted to the broker")
  UUID order;

  @Option(
      names = "--marks-file",
      description =
          "the operator's reasons for devices without a result, one 'EID REASON' per line"
              + " (UNREACHABLE, DAMAGED, REMOVED, NOT_ATTEMPTED); a signed result counts over a"
              + " mark")
  Path marksFile;

  @Option(
      names = "--report-file",
      description = "where the report is kept (default <journal-dir>/loading-report-<order>.json)")
  Path reportFile;

  /**
   * Makes the report of {@link #order} over {@code eids} from the journals in {@code journalDir},
   * keeps it in its file, submits it through {@code broker} and prints one line about it.
   *
   * @return true when the broker took it (or had it already: the same report is answered the same)
   */
  boolean submit(List<Eid> eids, Path journalDir, BrokerClient broker, PrintStream out)
      throws IOException {
    Map<Eid, NoResultReason> marks =
        marksFile == null ? Map.of() : LoadingReport.readMarks(marksFile);
    LoadingReport report = LoadingReport.fromJournals(order, eids, journalDir, marks);
    Path file =
        reportFile != null ? reportFile : journalDir.resolve("loading-report-" + order + ".json");
    report.write(file);
    try {
      long id = broker.submitLoadingReport(report.json(), report.idempotencyKey());
      // Taken: what it carried may now leave the journals (the next run prunes them).
      AcceptedReports.keep(journalDir, order, report.json());
      out.printf(
          "loading report of order %s: %d devices %s, written to %s, submitted to the broker"
              + " (report %d)%n",
          order, report.devices().size(), report.counts(), file, id);
      return true;
    } catch (HttpCallException e) {
      out.printf(
          "loading report of order %s: %d devices %s, written to %s, NOT submitted: %s (send it"
              + " again with factory-line report)%n",
          order, report.devices().size(), report.counts(), file, e.getMessage());
      return false;
    }
  }
}
