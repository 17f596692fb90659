package org.ifpp.line.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.http.FakeServer;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The line driver against a fake broker and fake chips on a random port. */
class ProductionRunTest {

  private static final String UNKNOWN = "89049032123451234512345678901235";

  private final Map<String, String> claimedBy = new ConcurrentHashMap<>();
  private final Map<String, String> claimKeys = new ConcurrentHashMap<>();
  private final Map<String, String> reports = new ConcurrentHashMap<>();
  private final AtomicInteger reportFailuresLeft = new AtomicInteger(1);
  private final AtomicInteger claimFailuresLeft = new AtomicInteger(0);
  private final Set<String> rejectingChips = ConcurrentHashMap.newKeySet();
  // EID -> 404s still to answer before its package "arrives" at the broker.
  private final Map<String, AtomicInteger> lateUntil = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> claimAttempts = new ConcurrentHashMap<>();
  private final List<FakeServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(FakeServer::close);
  }

  private URI broker() {
    FakeServer s =
        new FakeServer(
            (ex, r) -> {
              String[] p = r.path().split("/");
              if (r.path().equals("/api/v1/claims")) {
                String eid = Json.parse(r.body()).get("eid").asText();
                if (claimFailuresLeft.getAndDecrement() > 0) {
                  FakeServer.json(ex, 503, "{}");
                  return;
                }
                claimAttempts.computeIfAbsent(eid, e -> new AtomicInteger()).incrementAndGet();
                AtomicInteger late = lateUntil.get(eid);
                if (late != null && late.getAndDecrement() > 0) {
                  FakeServer.json(ex, 404, "{\"code\":\"package-not-found\"}");
                  return;
                }
                if (eid.equals(UNKNOWN)) {
                  FakeServer.json(ex, 404, "{\"code\":\"package-not-found\"}");
                  return;
                }
                String previousKey = claimKeys.putIfAbsent(eid, r.idempotencyKey());
                if (previousKey != null && !previousKey.equals(r.idempotencyKey())) {
                  FakeServer.json(ex, 409, "{\"code\":\"already-claimed\"}");
                  return;
                }
                claimedBy.put(eid, r.authorization());
                if ("application/octet-stream".equals(ex.getRequestHeaders().getFirst("Accept"))) {
                  // Claim and download in one call: the package is the body, the claim in headers.
                  ex.getResponseHeaders().add("X-Transaction-Id", "p-" + eid);
                  ex.getResponseHeaders().add("X-Batch-Id", "b1");
                  FakeServer.reply(ex, 200, "application/octet-stream", ("PKGp-" + eid).getBytes());
                  return;
                }
                FakeServer.json(
                    ex,
                    201,
                    "{\"transactionId\":\"p-"
                        + eid
                        + "\",\"batchId\":\"b1\",\"packageUrl\":\"/api/v1/packages/p-"
                        + eid
                        + "\"}");
              } else if (r.method().equals("GET") && p.length == 5) {
                FakeServer.reply(ex, 200, "application/octet-stream", ("PKG" + p[4]).getBytes());
              } else if (r.path().endsWith("/certificate")) {
                FakeServer.reply(ex, 200, "application/pkix-cert", new byte[] {0x30, 0});
              } else if (r.path().endsWith("/result")) {
                if (reportFailuresLeft.getAndDecrement() > 0) {
                  FakeServer.json(ex, 503, "{}");
                  return;
                }
                reports.put(p[4], Json.parse(r.body()).get("profileInstallationResult").asText());
                FakeServer.json(ex, 200, "{}");
              } else {
                FakeServer.json(ex, 200, "{}");
              }
            });
    servers.add(s);
    return s.uri();
  }

  private URI chips() {
    FakeServer s =
        new FakeServer(
            (ex, r) -> {
              String eid = r.path().split("/")[4];
              boolean ok = r.body().equals("PKGp-" + eid) && !rejectingChips.contains(eid);
              // The raw answer the line asks for: the signed result as the body, summary in
              // headers.
              ex.getResponseHeaders().add("X-Ifpp-Result", ok ? "installed" : "rejected");
              if (!ok) {
                ex.getResponseHeaders().add("X-Ifpp-Error-Reason", "invalidSignature");
              }
              FakeServer.reply(ex, 200, "application/octet-stream", ("PIR-" + eid).getBytes());
            });
    servers.add(s);
    return s.uri();
  }

  private static List<String> eids(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          org.ifpp.crypto.ids.Eid.withCheckDigits(String.format("890490321234512345%012d", i))
              .value());
    }
    return out;
  }

  @Test
  void everyChipIsClaimedInstalledAndReported_acrossParallelLines() throws Exception {
    URI broker = broker();
    Http http =
        new Http(
            Http.newClient(Duration.ofSeconds(2)),
            new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMillis(5)));
    List<ProductionRun.Line> lines =
        List.of(
            new ProductionRun.Line("line-1", new BrokerClient(http, broker, "Bearer one")),
            new ProductionRun.Line("line-2", new BrokerClient(http, broker, "Bearer two")));
    List<String> eids = eids(40);
    rejectingChips.add(eids.get(7));
    List<String> all = new ArrayList<>(eids);
    all.add(UNKNOWN);

    RunSummary summary =
        new ProductionRun(lines, new ChipClient(http, chips()), 2).run(all, r -> {});

    assertThat(summary.devices()).isEqualTo(41);
    assertThat(summary.installed()).isEqualTo(39);
    assertThat(summary.failures())
        .containsEntry("rejected:invalidSignature", 1)
        .containsEntry("no_package:package-not-found", 1);
    // Every reported chip has its own signed result; the one 503 was retried, not lost.
    assertThat(reports).hasSize(40);
    assertThat(reports.get("p-" + eids.get(3)))
        .isEqualTo(Base64.getEncoder().encodeToString(("PIR-" + eids.get(3)).getBytes()));
    // Chip i sits on line i mod 2, and its claim carried that line's credential.
    assertThat(claimedBy.get(eids.get(0))).isEqualTo("Bearer one");
    assertThat(claimedBy.get(eids.get(1))).isEqualTo("Bearer two");
    assertThat(summary.rate()).isPositive();
    assertThat(summary.p99Ms()).isGreaterThanOrEqualTo(summary.p50Ms());
    assertThat(summary.toJson()).startsWith("{\"devices\":41,\"installed\":39");
    // Claim and download travel in one call; the batch certificate is fetched once per line.
    List<FakeServer.Recorded> brokerCalls = servers.get(0).requests();
    assertThat(brokerCalls)
        .noneMatch(r -> r.method().equals("GET") && r.path().matches("/api/v1/packages/p-\\d+"));
    assertThat(brokerCalls).filteredOn(r -> r.path().endsWith("certificate")).hasSize(2);
  }

  @Test
  void unansweredClaimsAndReports_getASecondPass_andNothingIsLost() throws Exception {
    URI broker = broker();
    // Two attempts per call: the first claim and the first report of the run fail for good in
    // the first pass (2 x 503 each), and succeed in the second.
    claimFailuresLeft.set(2);
    reportFailuresLeft.set(2);
    Http http =
        new Http(
            Http.newClient(Duration.ofSeconds(2)),
            new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMillis(5)));
    List<ProductionRun.Line> lines =
        List.of(new ProductionRun.Line("line-1", new BrokerClient(http, broker, "Bearer one")));
    List<String> eids = eids(6);

    RunSummary summary =
        new ProductionRun(lines, new ChipClient(http, chips()), 1).run(eids, r -> {});

    assertThat(summary.failures()).isEmpty();
    assertThat(summary.installed()).isEqualTo(6);
    assertThat(reports).hasSize(6);
  }

  @Test
  void packageNotYetAtTheBroker_isClaimedAgain_whileDeliveryGoesOn_andA404IsFinalAfterIt()
      throws Exception {
    URI broker = broker();
    Http http =
        new Http(
            Http.newClient(Duration.ofSeconds(2)),
            new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMillis(5)));
    List<ProductionRun.Line> lines =
        List.of(new ProductionRun.Line("line-1", new BrokerClient(http, broker, "Bearer one")));
    List<String> eids = eids(4);
    lateUntil.put(eids.get(1), new AtomicInteger(3));
    List<String> all = new ArrayList<>(eids);
    all.add(UNKNOWN);
    // Delivery "ends" once the late package has arrived; the unknown EID then stays 404.
    LineWorker.PackageArrival arrival = () -> lateUntil.get(eids.get(1)).get() > 0;

    RunSummary summary =
        new ProductionRun(
                lines, new ChipClient(http, chips()), 1, LineWorker.PackageTap.NONE, arrival)
            .run(all, r -> {});

    assertThat(summary.installed()).isEqualTo(4);
    assertThat(claimAttempts.get(eids.get(1))).hasValue(4);
    assertThat(summary.failures()).containsOnlyKeys("no_package:package-not-found");
    assertThat(claimAttempts.get(UNKNOWN)).hasValue(1);
  }

  @Test
  void withoutDeliveryInProgress_a404IsFinal() throws Exception {
    URI broker = broker();
    Http http =
        new Http(
            Http.newClient(Duration.ofSeconds(2)),
            new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMillis(5)));
    List<ProductionRun.Line> lines =
        List.of(new ProductionRun.Line("line-1", new BrokerClient(http, broker, "Bearer one")));
    List<String> eids = eids(2);
    lateUntil.put(eids.get(0), new AtomicInteger(1));

    RunSummary summary =
        new ProductionRun(lines, new ChipClient(http, chips()), 1).run(eids, r -> {});

    assertThat(summary.installed()).isEqualTo(1);
    assertThat(summary.failures()).containsEntry("no_package:package-not-found", 1);
    assertThat(claimAttempts.get(eids.get(0))).hasValue(1);
  }

  @Test
  void summaryPercentiles_useNearestRank() {
    long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(RunSummary.percentile(sorted, 50)).isEqualTo(5);
    assertThat(RunSummary.percentile(sorted, 99)).isEqualTo(10);
    assertThat(RunSummary.percentile(new long[0], 99)).isZero();
  }
}
