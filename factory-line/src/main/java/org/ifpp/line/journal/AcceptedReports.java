package org.ifpp.line.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.http.Json;

/**
 * The loading reports the broker took, kept beside the journals as {@code
 * loading-report-<order>.accepted.json} (the report's bytes as sent). They bound the journals: a
 * journal opened for a run drops the delivered results and reasons an accepted report carried
 * ({@link ResultJournal#open}), and a later report of the same order starts from the accepted one
 * ({@code LoadingReport.fromJournals}), so nothing a report needs is lost by the pruning.
 */
public final class AcceptedReports {

  private static final String PREFIX = "loading-report-";
  private static final String SUFFIX = ".accepted.json";

  private AcceptedReports() {}

  /** An accepted report: its order and what it said per device. */
  public record Accepted(UUID order, ResultJournal.Recorded recorded) {}

  /** Keeps {@code reportJson}, which the broker took for {@code order} (whole or not at all). */
  public static void keep(Path directory, UUID order, byte[] reportJson) throws IOException {
    WholeFile.write(directory.resolve(PREFIX + order + SUFFIX), reportJson);
  }

  /** The accepted report of {@code order} in {@code directory}, or null. */
  public static ResultJournal.Recorded of(Path directory, UUID order) {
    Path file = directory.resolve(PREFIX + order + SUFFIX);
    return Files.exists(file) ? parse(file) : null;
  }

  /** Every accepted report in {@code directory}. */
  public static List<Accepted> all(Path directory) {
    List<Accepted> out = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return out;
    }
    try (var files = Files.list(directory)) {
      for (Path f : files.sorted().toList()) {
        String n = f.getFileName().toString();
        if (n.startsWith(PREFIX) && n.endsWith(SUFFIX)) {
          UUID order = UUID.fromString(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
          out.add(new Accepted(order, parse(f)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + directory, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("an accepted report's name is not an order id", e);
    }
    return out;
  }

  private static ResultJournal.Recorded parse(Path file) {
    JsonNode doc;
    try {
      doc = Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
    Map<Eid, JournalEntry> results = new LinkedHashMap<>();
    Map<Eid, NoResultReason> reasons = new LinkedHashMap<>();
    for (JsonNode d : doc.path("devices")) {
      String outcome = d.path("outcome").asText();
      try {
        // The broker took this report: each device is an EID, a result or a reason.
        Eid eid = new Eid(d.path("eid").asText());
        if (outcome.equals("INSTALLED") || outcome.equals("FAILED")) {
          results.put(
              eid,
              new JournalEntry(
                  TransactionId.fromHex(d.path("transactionId").asText()),
                  eid,
                  outcome.equals("INSTALLED"),
                  Base64.getDecoder().decode(d.path("profileInstallationResult").asText())));
        } else {
          reasons.put(eid, NoResultReason.valueOf(d.path("reason").asText()));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "accepted report " + file + ", device " + d.path("eid") + ": " + e.getMessage(), e);
      }
    }
    return new ResultJournal.Recorded(results, reasons);
  }
}
