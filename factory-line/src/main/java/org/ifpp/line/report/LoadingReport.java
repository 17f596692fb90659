package org.ifpp.line.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.line.http.Json;
import org.ifpp.line.journal.AcceptedReports;
import org.ifpp.line.journal.JournalEntry;
import org.ifpp.line.journal.NoResultReason;
import org.ifpp.line.journal.ResultJournal;
import org.ifpp.line.journal.WholeFile;

/**
 * An order's Profile Loading Report (ESBPP03), format {@code ifpp-loading-report/1}
 * (docs/orders.md): one entry per device of the order, in the order's device order, written from
 * the lines' journals. A device with a signed result is {@code INSTALLED} or {@code FAILED} with
 * the chip's signed result (BF37) and its transactionId; any other is {@code NO_RESULT} with the
 * line's reason ({@link NoResultReason}): the operator's mark if given, else the reason the line
 * journalled, else {@code NOT_ATTEMPTED}. A signed result counts over any reason or mark.
 *
 * <p>The same journals and inputs give the same bytes ({@link #json()}), so a report sent again is
 * the same report, with the same {@link #idempotencyKey()}.
 */
public final class LoadingReport {

  public static final String FORMAT = "ifpp-loading-report/1";

  /** Most devices in one report (the broker's limit). */
  public static final int MAX_DEVICES = 100_000;

  /** A device's entry: a signed result ({@code result} set) or the line's reason. */
  public record Entry(Eid eid, JournalEntry result, NoResultReason reason) {
    public String outcome() {
      return result == null ? "NO_RESULT" : result.installed() ? "INSTALLED" : "FAILED";
    }
  }

  private final UUID orderId;
  private final List<Entry> devices;
  private final byte[] json;

  private LoadingReport(UUID orderId, List<Entry> devices) {
    this.orderId = orderId;
    this.devices = List.copyOf(devices);
    this.json = Json.body(document());
  }

  /**
   * The report of order {@code orderId} over {@code eids} (every device of the order, each once).
   *
   * @param journals what each line's journal holds; for a device with signed results in several
   *     lines' journals (moved between lines), an installation counts over a failure, then the
   *     first line's
   * @param marks the operator's word for devices without a result (e.g. DAMAGED, REMOVED); ignored
   *     for a device with a signed result
   */
  public static LoadingReport of(
      UUID orderId,
      List<Eid> eids,
      List<ResultJournal.Recorded> journals,
      Map<Eid, NoResultReason> marks) {
    if (eids.isEmpty() || eids.size() > MAX_DEVICES) {
      throw new IllegalArgumentException("a report names 1 to " + MAX_DEVICES + " devices");
    }
    Set<Eid> seen = new HashSet<>();
    List<Entry> out = new ArrayList<>(eids.size());
    for (Eid eid : eids) {
      if (!seen.add(eid)) {
        throw new IllegalArgumentException("EID " + eid + " twice in the order's devices");
      }
      JournalEntry result = null;
      NoResultReason reason = null;
      for (ResultJournal.Recorded j : journals) {
        JournalEntry r = j.results().get(eid);
        if (r != null && (result == null || (r.installed() && !result.installed()))) {
          result = r;
        }
        NoResultReason why = j.reasons().get(eid);
        if (why != null && reason == null) {
          reason = why;
        }
      }
      if (result != null) {
        out.add(new Entry(eid, result, null));
      } else {
        NoResultReason mark = marks.get(eid);
        out.add(
            new Entry(
                eid,
                null,
                mark != null ? mark : reason != null ? reason : NoResultReason.NOT_ATTEMPTED));
      }
    }
    return new LoadingReport(orderId, out);
  }

  /**
   * The report made from every line's journal in {@code journalDirectory} (read without changing
   * them, so also while lines run), over the order's report the broker took before, if any ({@link
   * AcceptedReports}: what it carried may have been pruned from the journals since; the journals
   * count first).
   */
  public static LoadingReport fromJournals(
      UUID orderId, List<Eid> eids, Path journalDirectory, Map<Eid, NoResultReason> marks) {
    List<ResultJournal.Recorded> journals = new ArrayList<>();
    for (String line : ResultJournal.lines(journalDirectory)) {
      journals.add(ResultJournal.read(journalDirectory, line));
    }
    ResultJournal.Recorded accepted = AcceptedReports.of(journalDirectory, orderId);
    if (accepted != null) {
      journals.add(accepted);
    }
    return of(orderId, eids, journals, marks);
  }

  /**
   * Reads the operator's marks: one {@code EID REASON} per line ({@link NoResultReason} names;
   * blank lines and {@code #} comments skipped).
   */
  public static Map<Eid, NoResultReason> readMarks(Path file) throws IOException {
    Map<Eid, NoResultReason> marks = new LinkedHashMap<>();
    int n = 0;
    for (String l : Files.readAllLines(file)) {
      n++;
      String line = l.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+");
      try {
        if (f.length != 2) {
          throw new IllegalArgumentException("two fields");
        }
        marks.put(Eid.of(f[0]), NoResultReason.valueOf(f[1]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            file
                + " line "
                + n
                + ": an EID (32 digits, valid check digits) and one of "
                + java.util.Arrays.toString(NoResultReason.values()));
      }
    }
    return marks;
  }

  /** Writes the report's JSON to {@code file} (whole or not at all). */
  public void write(Path file) throws IOException {
    WholeFile.write(file, json);
  }

  public UUID orderId() {
    return orderId;
  }

  public List<Entry> devices() {
    return devices;
  }

  /** The report's JSON, as sent. */
  public byte[] json() {
    return json.clone();
  }

  /**
   * The key under which the report is submitted: derived from its bytes, so a report sent again
   * (after a lost answer, or made again from the same journals) is answered like the first time.
   */
  public String idempotencyKey() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return "loading-report-" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }

  /** Devices by outcome, {@code NO_RESULT} split by reason ({@code NO_RESULT/UNREACHABLE}). */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String k : new String[] {"INSTALLED", "FAILED"}) {
      counts.put(k, 0L);
    }
    for (Entry e : devices) {
      String key = e.result() != null ? e.outcome() : "NO_RESULT/" + e.reason().name();
      counts.merge(key, 1L, Long::sum);
    }
    return counts;
  }

  private ObjectNode document() {
    ObjectNode doc = Json.object().put("format", FORMAT).put("orderId", orderId.toString());
    ArrayNode list = doc.putArray("devices");
    Base64.Encoder b64 = Base64.getEncoder();
    for (Entry e : devices) {
      ObjectNode n = list.addObject().put("eid", e.eid().value()).put("outcome", e.outcome());
      if (e.result() != null) {
        n.put("transactionId", e.result().transactionId().toHex());
        n.put("profileInstallationResult", b64.encodeToString(e.result().pir()));
      } else {
        n.put("reason", e.reason().name());
      }
    }
    return doc;
  }

  @Override
  public String toString() {
    return "LoadingReport[order " + orderId + ", " + counts() + "]";
  }
}
