package org.ifpp.line.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.http.FakeServer;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.RetryPolicy;
import org.ifpp.line.journal.AcceptedReports;
import org.ifpp.line.journal.JournalEntry;
import org.ifpp.line.journal.NoResultReason;
import org.ifpp.line.journal.ResultJournal;
import org.ifpp.line.run.Backoff;
import org.ifpp.line.run.LineWorker;
import org.ifpp.line.run.ProductionRun;
import org.ifpp.line.run.RunSummary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loading report a line writes at the end of a run, from its journals, against a fake broker
 * and fake chips: every device of the order accounted for, and the same report submitted again
 * answered the same.
 */
class LoadingReportTest {

  @TempDir Path journals;

  private final List<FakeServer> servers = new ArrayList<>();
  // The broker's loading reports by Idempotency-Key, as the broker keeps them: once per key.
  private final Map<String, Long> reportIds = new ConcurrentHashMap<>();
  private final Map<String, String> reportBodies = new ConcurrentHashMap<>();
  private final AtomicLong nextReportId = new AtomicLong(1);

  @AfterEach
  void stop() {
    servers.forEach(FakeServer::close);
  }

  private static List<Eid> ids(List<String> eids) {
    return eids.stream().map(Eid::new).toList();
  }

  private static List<String> eids(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Eid.withCheckDigits(String.format("890490321234512345%012d", i)).value());
    }
    return out;
  }

  /** Claims and reports one at a time; no package for {@code noPackage}. */
  private URI broker(String noPackage) {
    FakeServer s =
        new FakeServer(
            (ex, r) -> {
              if (r.path().equals("/api/v1/claims")) {
                String eid = Json.parse(r.body()).get("eid").asText();
                if (eid.equals(noPackage)) {
                  FakeServer.json(ex, 404, "{\"code\":\"package-not-found\"}");
                  return;
                }
                ex.getResponseHeaders().add("X-Transaction-Id", "7A" + eid.substring(20));
                ex.getResponseHeaders().add("X-Batch-Id", "b1");
                FakeServer.reply(ex, 200, "application/octet-stream", ("PKG-" + eid).getBytes());
              } else if (r.path().endsWith("/binding-certificate")) {
                FakeServer.reply(ex, 200, "application/pkix-cert", new byte[] {0x30, 0});
              } else if (r.path().equals("/api/v1/loading-reports")) {
                long id =
                    reportIds.computeIfAbsent(
                        r.idempotencyKey(),
                        k -> {
                          reportBodies.put(k, r.body());
                          return nextReportId.getAndIncrement();
                        });
                FakeServer.json(ex, 202, "{\"reportId\":" + id + ",\"devices\":0}");
              } else {
                FakeServer.json(ex, 200, "{}"); // single reports, releases
              }
            });
    servers.add(s);
    return s.uri();
  }

  /** Installs, except: {@code failing} signs a failure, {@code unreachable} never answers. */
  private URI chips(String failing, String unreachable) {
    FakeServer s =
        new FakeServer(
            (ex, r) -> {
              String eid = r.path().split("/")[4];
              if (eid.equals(unreachable)) {
                FakeServer.json(ex, 503, "{}");
                return;
              }
              if (r.path().endsWith("/notifications")) {
                FakeServer.json(ex, 200, "{\"notifications\":[]}");
                return;
              }
              boolean ok = !eid.equals(failing);
              ex.getResponseHeaders().add("X-Ifpp-Result", ok ? "installed" : "rejected");
              if (!ok) {
                ex.getResponseHeaders().add("X-Ifpp-Error-Reason", "scp03tSecurityError");
              }
              FakeServer.reply(ex, 200, "application/octet-stream", ("PIR-" + eid).getBytes());
            });
    servers.add(s);
    return s.uri();
  }

  @Test
  void
      aRunWithAnUnreachableChipAndDevicesNotAttempted_accountsForEveryDevice_andResubmitsIdempotently()
          throws Exception {
    List<String> order = eids(8);
    String failing = order.get(1);
    String unreachable = order.get(2);
    String noPackage = order.get(3);
    String neverOnTheLine = order.get(7); // the order's, but the line never got to it
    String damaged = order.get(6);
    URI broker = broker(noPackage);
    Http http =
        new Http(
            Http.newClient(Duration.ofSeconds(2)),
            new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMillis(5)));
    BrokerClient line1 = new BrokerClient(http, broker, "Bearer one", "line-1", false);
    BrokerClient line2 = new BrokerClient(http, broker, "Bearer two", "line-2", false);
    ProductionRun run =
        new ProductionRun(
            List.of(
                new ProductionRun.Line("line-1", line1), new ProductionRun.Line("line-2", line2)),
            new ChipClient(http, chips(failing, unreachable)),
            1,
            LineWorker.PackageTap.NONE,
            LineWorker.PackageArrival.NONE,
            ProductionRun.ReportBatching.SINGLE,
            1,
            journals,
            Backoff.DEFAULT);

    RunSummary summary = run.run(ids(order.subList(0, 7)), r -> {});
    assertThat(summary.installed()).isEqualTo(4);

    UUID orderId = UUID.randomUUID();
    // The operator marks a chip the line installed as damaged: its signed result counts.
    LoadingReport report =
        LoadingReport.fromJournals(
            orderId, ids(order), journals, Map.of(new Eid(damaged), NoResultReason.DAMAGED));

    JsonNode doc = Json.parse(report.json());
    assertThat(doc.get("format").asText()).isEqualTo("ifpp-loading-report/1");
    assertThat(doc.get("orderId").asText()).isEqualTo(orderId.toString());
    JsonNode devices = doc.get("devices");
    assertThat(devices).hasSize(order.size());
    for (int i = 0; i < order.size(); i++) {
      assertThat(devices.get(i).get("eid").asText()).isEqualTo(order.get(i));
    }
    JsonNode installed = devices.get(0);
    assertThat(installed.get("outcome").asText()).isEqualTo("INSTALLED");
    assertThat(installed.get("transactionId").asText())
        .isEqualTo("7A" + order.get(0).substring(20));
    assertThat(installed.get("profileInstallationResult").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(("PIR-" + order.get(0)).getBytes()));
    assertThat(installed.has("reason")).isFalse();
    JsonNode failed = devices.get(1);
    assertThat(failed.get("outcome").asText()).isEqualTo("FAILED");
    assertThat(failed.get("profileInstallationResult").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(("PIR-" + failing).getBytes()));
    assertThat(devices.get(2).get("outcome").asText()).isEqualTo("NO_RESULT");
    assertThat(devices.get(2).get("reason").asText()).isEqualTo("UNREACHABLE");
    assertThat(devices.get(2).has("profileInstallationResult")).isFalse();
    assertThat(devices.get(3).get("reason").asText()).isEqualTo("NOT_ATTEMPTED");
    assertThat(devices.get(6).get("outcome").asText()).isEqualTo("INSTALLED");
    assertThat(devices.get(7).get("reason").asText()).isEqualTo("NOT_ATTEMPTED");
    assertThat(report.counts())
        .containsEntry("INSTALLED", 4L)
        .containsEntry("FAILED", 1L)
        .containsEntry("NO_RESULT/UNREACHABLE", 1L)
        .containsEntry("NO_RESULT/NOT_ATTEMPTED", 2L);

    // Submitted, then made again from the same journals and submitted again (a lost answer, or
    // factory-line report on demand): the same bytes under the same key, kept once.
    long first = line1.submitLoadingReport(report.json(), report.idempotencyKey());
    LoadingReport again =
        LoadingReport.fromJournals(
            orderId, ids(order), journals, Map.of(new Eid(damaged), NoResultReason.DAMAGED));
    assertThat(again.json()).isEqualTo(report.json());
    assertThat(again.idempotencyKey()).isEqualTo(report.idempotencyKey());
    long second = line1.submitLoadingReport(again.json(), again.idempotencyKey());
    assertThat(second).isEqualTo(first);
    assertThat(reportBodies).hasSize(1);
    assertThat(reportBodies.get(report.idempotencyKey()))
        .isEqualTo(new String(report.json(), java.nio.charset.StandardCharsets.UTF_8));

    // Written to a file whole: what factory-line report keeps beside the journals.
    Path file = journals.resolve("report.json");
    report.write(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(report.json());
  }

  @Test
  void theOperatorsMarks_areReadStrictly() throws Exception {
    List<String> chips = eids(2);
    Path marks = journals.resolve("marks");
    Files.writeString(
        marks,
        "# removed by hand\n" + chips.get(0) + " REMOVED\n\n" + chips.get(1) + "   DAMAGED\n");
    assertThat(LoadingReport.readMarks(marks))
        .containsOnly(
            Map.entry(new Eid(chips.get(0)), NoResultReason.REMOVED),
            Map.entry(new Eid(chips.get(1)), NoResultReason.DAMAGED));
    for (String bad :
        new String[] {
          chips.get(0) + " BROKEN\n", // not a reason
          "8904 REMOVED\n", // not an EID
          chips.get(0).substring(0, 30) + "00 REMOVED\n" // wrong check digits
        }) {
      Files.writeString(marks, "# by hand\n" + bad);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadingReport.readMarks(marks))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("line 2");
    }
  }

  @Test
  void theReportsBytes_areTheFormatsAsBefore_andReadBackAsAnAcceptedReport() throws Exception {
    List<Eid> chips = ids(eids(3));
    UUID order = UUID.fromString("0b7e3c52-6a0f-4f37-9a51-2f4a1c9d0e11");
    JournalEntry installed =
        new JournalEntry(
            TransactionId.fromHex("7A0000000000000001"),
            chips.get(0),
            true,
            new byte[] {(byte) 0xBF, 0x37, 1, 0});
    ResultJournal.Recorded journal =
        new ResultJournal.Recorded(
            Map.of(chips.get(0), installed), Map.of(chips.get(1), NoResultReason.UNREACHABLE));

    LoadingReport report =
        LoadingReport.of(
            order, chips, List.of(journal), Map.of(chips.get(2), NoResultReason.REMOVED));

    assertThat(new String(report.json(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"format\":\"ifpp-loading-report/1\","
                + "\"orderId\":\"0b7e3c52-6a0f-4f37-9a51-2f4a1c9d0e11\",\"devices\":["
                + "{\"eid\":\"89049032123451234500000000000089\",\"outcome\":\"INSTALLED\","
                + "\"transactionId\":\"7A0000000000000001\",\"profileInstallationResult\":\"vzcBAA==\"},"
                + "{\"eid\":\""
                + chips.get(1)
                + "\",\"outcome\":\"NO_RESULT\",\"reason\":\"UNREACHABLE\"},"
                + "{\"eid\":\""
                + chips.get(2)
                + "\",\"outcome\":\"NO_RESULT\",\"reason\":\"REMOVED\"}]}");
    // Taken by the broker and kept: it reads back as what it carried.
    AcceptedReports.keep(journals, order, report.json());
    ResultJournal.Recorded accepted = AcceptedReports.of(journals, order);
    assertThat(accepted.results()).containsOnly(Map.entry(chips.get(0), installed));
    assertThat(accepted.reasons())
        .containsOnly(
            Map.entry(chips.get(1), NoResultReason.UNREACHABLE),
            Map.entry(chips.get(2), NoResultReason.REMOVED));
  }
}
