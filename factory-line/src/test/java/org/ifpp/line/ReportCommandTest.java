package org.ifpp.line;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.http.FakeServer;
import org.ifpp.line.http.Json;
import org.ifpp.line.journal.JournalEntry;
import org.ifpp.line.journal.NoResultReason;
import org.ifpp.line.journal.ResultJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code factory-line report}: the order's loading report from the journals on disk, kept in its
 * file, submitted with the first line's credential under its key; when the broker does not take it,
 * the file stays and the exit status says so.
 */
class ReportCommandTest {

  @TempDir Path dir;

  private static Eid eid(int i) {
    return Eid.withCheckDigits(String.format("890490321234512345%012d", i));
  }

  @Test
  void report_isWrittenFromTheJournals_keptAndSubmittedUnderItsKey_orKeptWhenRefused()
      throws Exception {
    Path journals = dir.resolve("journals");
    try (ResultJournal j = ResultJournal.open(journals, "line-1")) {
      j.appendDurably(
          new JournalEntry(
              TransactionId.fromHex("AA01"), eid(0), true, new byte[] {(byte) 0xBF, 0x37, 0}));
      j.acknowledge(TransactionId.fromHex("AA01"));
      j.noResult(eid(1), NoResultReason.UNREACHABLE);
    }
    try (ResultJournal j = ResultJournal.open(journals, "line-2")) {
      j.appendDurably(
          new JournalEntry(
              TransactionId.fromHex("AA02"), eid(2), false, new byte[] {(byte) 0xBF, 0x37, 1}));
    }
    Path eids =
        Files.writeString(
            dir.resolve("eids"), eid(0) + "\n" + eid(1) + "\n" + eid(2) + "\n" + eid(3) + "\n");
    Path marks = Files.writeString(dir.resolve("marks"), eid(3) + " REMOVED\n");
    Path lines = Files.writeString(dir.resolve("lines"), "line-1=secret-one\nline-2=secret-two\n");
    AtomicInteger refuse = new AtomicInteger();
    try (FakeServer broker =
        new FakeServer(
            (ex, r) -> {
              if (refuse.get() > 0) {
                FakeServer.json(ex, 400, "{\"code\":\"invalid-loading-report\"}");
              } else {
                FakeServer.json(ex, 202, "{\"reportId\":7,\"devices\":4}");
              }
            })) {
      UUID order = UUID.randomUUID();
      String[] args = {
        "--broker",
        broker.uri().toString(),
        "--lines-file",
        lines.toString(),
        "--eids-file",
        eids.toString(),
        "--journal-dir",
        journals.toString(),
        "--marks-file",
        marks.toString(),
        "--order",
        order.toString()
      };

      assertThat(new CommandLine(new ReportCommand()).execute(args)).isZero();

      Path file = journals.resolve("loading-report-" + order + ".json");
      var doc = Json.parse(Files.readAllBytes(file));
      assertThat(doc.get("devices")).hasSize(4);
      assertThat(doc.get("devices").get(0).get("outcome").asText()).isEqualTo("INSTALLED");
      assertThat(doc.get("devices").get(1).get("reason").asText()).isEqualTo("UNREACHABLE");
      assertThat(doc.get("devices").get(2).get("outcome").asText()).isEqualTo("FAILED");
      assertThat(doc.get("devices").get(3).get("reason").asText()).isEqualTo("REMOVED");
      FakeServer.Recorded sent = broker.requests().get(0);
      assertThat(sent.path()).isEqualTo("/api/v1/loading-reports");
      assertThat(sent.authorization()).isEqualTo("Bearer secret-one");
      assertThat(sent.idempotencyKey()).startsWith("loading-report-").hasSize(15 + 64);
      assertThat(sent.body()).isEqualTo(Files.readString(file));
      // Taken: kept as accepted, what bounds the journals (ResultJournalTest).
      Path accepted = journals.resolve("loading-report-" + order + ".accepted.json");
      assertThat(accepted).hasSameTextualContentAs(file);

      refuse.set(1);
      Files.delete(file);
      Files.delete(accepted);
      assertThat(new CommandLine(new ReportCommand()).execute(args)).isEqualTo(1);
      assertThat(file).exists();
      assertThat(accepted).doesNotExist();
      List<FakeServer.Recorded> all = broker.requests();
      assertThat(all.get(all.size() - 1).idempotencyKey()).isEqualTo(sent.idempotencyKey());
    }
  }
}
