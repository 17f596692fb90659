package org.ifpp.line.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.http.FakeServer;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The line driver against a fake broker and fake chips on a random port. */
class ProductionRunTest {

  private static final String UNKNOWN = "89049032123451234512345678901235";

  private final Map<String, String> claimedBy = new ConcurrentHashMap<>();
  private final Map<String, String> claimKeys = new ConcurrentHashMap<>();
  private final Map<String, String> reports = new ConcurrentHashMap<>();
  private final AtomicInteger reportFailuresLeft = new AtomicInteger(1);
  private final AtomicInteger claimFailuresLeft = new AtomicInteger(0);
  private final Set<String> rejectingChips = ConcurrentHashMap.newKeySet();
  private final Set<String> exhaustedChips = ConcurrentHashMap.newKeySet();
  // EID -> 404s still to answer before its package "arrives" at the broker.
  private final Map<String, AtomicInteger> lateUntil = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> claimAttempts = new ConcurrentHashMap<>();
  // EID asked -> the chip the broker's granted claim names instead (a broker answering wrongly).
  private final Map<String, String> answeredAs = new ConcurrentHashMap<>();
  private final List<FakeServer> servers = new ArrayList<>();
  private final Set<String> refusedReports = ConcurrentHashMap.newKeySet();
  private final List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean batchesFailForGood;
  private volatile boolean batchesRefused;
  private final List<Integer> claimBatchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Set<String> claimedElsewhere = ConcurrentHashMap.newKeySet();
  private volatile boolean claimBatchesFailForGood;
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicInteger reportsRetryAfterLeft = new AtomicInteger();
  private final Map<String, AtomicInteger> recordedTimes = new ConcurrentHashMap<>();

  /** A chip's pending notification (its own signed result of an earlier load). */
  record Notified(long seq, String tx, byte[] pir) {}

  private final Map<String, Notified> notified = new ConcurrentHashMap<>();
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> removedAfterReport = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    servers.forEach(FakeServer::close);
  }

  private URI broker() {
    FakeServer s =
        new FakeServer(
            (ex, r) -> {
              String[] p = r.path().split("/");
              if (r.path().equals("/api/v1/claims/batch")) {
                if (claimBatchesFailForGood) {
                  FakeServer.json(ex, 503, "{}");
                  return;
                }
                var items = Json.parse(r.body()).get("eids");
                claimBatchSizes.add(items.size());
                StringBuilder header = new StringBuilder("{\"claims\":[");
                java.io.ByteArrayOutputStream packages = new java.io.ByteArrayOutputStream();
                for (int i = 0; i < items.size(); i++) {
                  String eid = items.get(i).asText();
                  header
                      .append(i == 0 ? "" : ",")
                      .append("{\"eid\":\"" + answeredAs.getOrDefault(eid, eid) + "\",");
                  claimAttempts.computeIfAbsent(eid, e -> new AtomicInteger()).incrementAndGet();
                  AtomicInteger late = lateUntil.get(eid);
                  if ((late != null && late.getAndDecrement() > 0) || eid.equals(UNKNOWN)) {
                    header.append("\"status\":404,\"code\":\"package-not-found\"}");
                  } else if (claimedElsewhere.contains(eid)) {
                    header.append("\"status\":409,\"code\":\"package-claimed\"}");
                  } else {
                    claimedBy.put(eid, r.authorization());
                    byte[] pkg = ("PKGp-" + eid).getBytes();
                    packages.writeBytes(pkg);
                    header
                        .append("\"status\":200,\"transactionId\":\"" + tx(eid) + "\",")
                        .append("\"batchId\":\"b1\",\"packageLength\":" + pkg.length + "}");
                  }
                }
                byte[] h = header.append("]}").toString().getBytes();
                java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                body.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(h.length).array());
                body.writeBytes(h);
                body.writeBytes(packages.toByteArray());
                FakeServer.reply(ex, 200, "application/vnd.ifpp.package-batch", body.toByteArray());
              } else if (r.path().equals("/api/v1/claims")) {
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
                  ex.getResponseHeaders().add("X-Transaction-Id", tx(eid));
                  ex.getResponseHeaders().add("X-Batch-Id", "b1");
                  FakeServer.reply(ex, 200, "application/octet-stream", ("PKGp-" + eid).getBytes());
                  return;
                }
                FakeServer.json(
                    ex,
                    201,
                    "{\"transactionId\":\""
                        + tx(eid)
                        + "\",\"batchId\":\"b1\",\"packageUrl\":\"/api/v1/packages/"
                        + tx(eid)
                        + "\"}");
              } else if (r.method().equals("GET") && p.length == 5) {
                FakeServer.reply(ex, 200, "application/octet-stream", ("PKGp-" + p[4]).getBytes());
              } else if (r.path().endsWith("/certificate")) {
                FakeServer.reply(ex, 200, "application/pkix-cert", new byte[] {0x30, 0});
              } else if (r.path().equals("/api/v1/reports")) {
                if (reportsRetryAfterLeft.getAndDecrement() > 0) {
                  // The broker's PostgreSQL is down: 503 problem+json with Retry-After.
                  ex.getResponseHeaders().add("Retry-After", "1");
                  FakeServer.json(ex, 503, "{\"code\":\"service-unavailable\"}");
                  return;
                }
                if (batchesRefused) {
                  // A broker without the batch endpoint: the whole call is refused.
                  FakeServer.json(ex, 404, "{\"code\":\"no-route\"}");
                  return;
                }
                if (reportFailuresLeft.getAndDecrement() > 0 || batchesFailForGood) {
                  FakeServer.json(ex, 503, "{}");
                  return;
                }
                StringBuilder answer = new StringBuilder("{\"results\":[");
                var items = Json.parse(r.body()).get("results");
                batchSizes.add(items.size());
                for (int i = 0; i < items.size(); i++) {
                  String tx = items.get(i).get("transactionId").asText();
                  answer.append(i == 0 ? "" : ",");
                  if (refusedReports.contains(tx)) {
                    answer
                        .append("{\"transactionId\":\"" + tx + "\",\"status\":409,")
                        .append("\"code\":\"package-reported\",\"detail\":\"x\"}");
                  } else {
                    reports.put(tx, items.get(i).get("profileInstallationResult").asText());
                    recordedTimes.computeIfAbsent(tx, k -> new AtomicInteger()).incrementAndGet();
                    answer
                        .append("{\"transactionId\":\"" + tx + "\",\"status\":200,")
                        .append("\"outcome\":\"installed\"}");
                  }
                }
                FakeServer.json(ex, 200, answer.append("]}").toString());
              } else if (r.path().endsWith("/result")) {
                if (reportFailuresLeft.getAndDecrement() > 0 || batchesFailForGood) {
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
              if (r.path().endsWith("/notifications")) {
                Notified n = notified.get(eid);
                FakeServer.json(
                    ex,
                    200,
                    n == null || removed.contains(eid)
                        ? "{\"notifications\":[]}"
                        : "{\"notifications\":[{\"seqNumber\":"
                            + n.seq()
                            + ",\"transactionId\":\""
                            + n.tx()
                            + "\",\"iccid\":\"8949449999000000001\",\"outcome\":\"installed\","
                            + "\"profileInstallationResult\":\""
                            + Base64.getEncoder().encodeToString(n.pir())
                            + "\"}]}");
                return;
              }
              if (r.method().equals("DELETE")) {
                // The chip's notification goes only after the broker holds its result.
                removedAfterReport.put(eid, reports.containsKey(notified.get(eid).tx()));
                removed.add(eid);
                FakeServer.reply(ex, 204, "application/json", new byte[0]);
                return;
              }
              loads.incrementAndGet();
              boolean ok = r.body().equals("PKGp-" + eid) && !rejectingChips.contains(eid);
              // The raw answer the line asks for: the signed result as the body, summary in
              // headers.
              ex.getResponseHeaders().add("X-Ifpp-Result", ok ? "installed" : "rejected");
              if (!ok) {
                ex.getResponseHeaders()
                    .add(
                        "X-Ifpp-Error-Reason",
                        exhaustedChips.contains(eid) ? "oneTimeKeysExhausted" : "invalidSignature");
              }
              FakeServer.reply(ex, 200, "application/octet-stream", ("PIR-" + eid).getBytes());
            });
    servers.add(s);
    return s.uri();
  }

  /** The fake broker's transactionId of a chip's package: its EID, 32 digits read as 16 bytes. */
  private static String tx(String eid) {
    return eid;
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
        new ProductionRun(lines, new ChipClient(http, chips()), 2).run(ids(all), r -> {});

    assertThat(summary.devices()).isEqualTo(41);
    assertThat(summary.installed()).isEqualTo(39);
    assertThat(summary.failures())
        .containsEntry("rejected:invalidSignature", 1)
        .containsEntry("no_package:package-not-found", 1);
    // Every reported chip has its own signed result; the one 503 was retried, not lost.
    assertThat(reports).hasSize(40);
    assertThat(reports.get(tx(eids.get(3))))
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
        .noneMatch(r -> r.method().equals("GET") && r.path().matches("/api/v1/packages/\\d+"));
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
        new ProductionRun(lines, new ChipClient(http, chips()), 1).run(ids(eids), r -> {});

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
                lines,
                new ChipClient(http, chips()),
                1,
                LineWorker.PackageTap.NONE,
                arrival,
                ProductionRun.ReportBatching.DEFAULT,
                1)
            .run(ids(all), r -> {});

    assertThat(summary.installed()).isEqualTo(4);
    assertThat(claimAttempts.get(eids.get(1))).hasValue(4);
    assertThat(claimBatchSizes).isEmpty();
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
        new ProductionRun(lines, new ChipClient(http, chips()), 1).run(ids(eids), r -> {});

    assertThat(summary.installed()).isEqualTo(1);
    assertThat(summary.failures()).containsEntry("no_package:package-not-found", 1);
    assertThat(claimAttempts.get(eids.get(0))).hasValue(1);
  }

  private Http http(int attempts) {
    return new Http(
        Http.newClient(Duration.ofSeconds(2)),
        new RetryPolicy(
            attempts, Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMillis(5)));
  }

  private RunSummary runWith(
      int lineCount, int devices, ProductionRun.ReportBatching batching, List<DeviceResult> seen)
      throws Exception {
    URI broker = broker();
    Http http = http(2);
    List<ProductionRun.Line> lines = new ArrayList<>();
    for (int i = 1; i <= lineCount; i++) {
      lines.add(new ProductionRun.Line("line-" + i, new BrokerClient(http, broker, "Bearer " + i)));
    }
    return new ProductionRun(
            lines,
            new ChipClient(http, chips()),
            2,
            LineWorker.PackageTap.NONE,
            LineWorker.PackageArrival.NONE,
            batching)
        .run(ids(eids(devices)), seen::add);
  }

  @Test
  void batchedReports_groupALinesResults_andEveryDeviceIsCountedOnce() throws Exception {
    reportFailuresLeft.set(0);
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    RunSummary summary =
        runWith(2, 50, new ProductionRun.ReportBatching(8, Duration.ofSeconds(30)), seen);

    assertThat(summary.installed()).isEqualTo(50);
    assertThat(reports).hasSize(50);
    assertThat(seen).hasSize(50);
    assertThat(seen.stream().map(DeviceResult::eid).distinct()).hasSize(50);
    // 25 chips per line in groups of 8 (the linger is longer than the run): 8, 8, 8 and the
    // last one flushed at the end, per line; no single reports.
    assertThat(batchSizes).hasSize(8);
    assertThat(summary.reportCalls()).isEqualTo(8);
    assertThat(summary.groupedResults()).isEqualTo(50);
    assertThat(summary.toText()).contains("reports in groups: 50 results in 8 calls");
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
    assertThat(batchSizes.stream().filter(n -> n == 8)).hasSize(6);
    assertThat(servers.get(0).requests()).noneMatch(r -> r.path().endsWith("/result"));
    assertThat(seen).allMatch(r -> r.reportNanos() > 0);
  }

  @Test
  void aBatchRefusedAsAWhole_keepsItsResults_andTheSecondPassDeliversThem() throws Exception {
    batchesRefused = true;
    reportFailuresLeft.set(0);
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    RunSummary summary =
        runWith(1, 10, new ProductionRun.ReportBatching(4, Duration.ofMillis(10)), seen);

    // Each batch call was refused (404); every result went again, singly, in the second pass.
    assertThat(summary.devices()).isEqualTo(10);
    assertThat(summary.installed()).isEqualTo(10);
    assertThat(summary.failures()).isEmpty();
    assertThat(reports).hasSize(10);
    assertThat(servers.get(0).requests()).filteredOn(r -> r.path().endsWith("/result")).hasSize(10);
    assertThat(seen).hasSize(10);
  }

  @Test
  void aRefusedItem_isThatDevicesOutcome_andTheOthersOfItsBatchAreRecorded() throws Exception {
    reportFailuresLeft.set(0);
    List<String> eids = eids(6);
    refusedReports.add(tx(eids.get(2)));
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    RunSummary summary =
        runWith(1, 6, new ProductionRun.ReportBatching(6, Duration.ofSeconds(5)), seen);

    assertThat(summary.installed()).isEqualTo(5);
    assertThat(summary.failures()).containsOnly(Map.entry("error:report:package-reported", 1));
    assertThat(reports).hasSize(5).doesNotContainKey(tx(eids.get(2)));
    // A refusal is final: not kept for a second pass.
    assertThat(servers.get(0).requests()).noneMatch(r -> r.path().endsWith("/result"));
    assertThat(seen)
        .filteredOn(r -> r.eid().value().equals(eids.get(2)))
        .singleElement()
        .satisfies(r -> assertThat(r.recoverable()).isFalse());
  }

  @Test
  void batchSizeOne_reportsEachChipFromItsStation_asBefore() throws Exception {
    reportFailuresLeft.set(0);
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    RunSummary summary = runWith(2, 12, ProductionRun.ReportBatching.SINGLE, seen);

    assertThat(summary.installed()).isEqualTo(12);
    assertThat(reports).hasSize(12);
    assertThat(servers.get(0).requests()).filteredOn(r -> r.path().endsWith("/result")).hasSize(12);
    assertThat(batchSizes).isEmpty();
    assertThat(summary.reportCalls()).isZero();
    assertThat(summary.toText()).doesNotContain("reports in groups");
  }

  private RunSummary runClaiming(
      int claimBatch,
      int stations,
      List<String> eids,
      LineWorker.PackageArrival arrival,
      List<DeviceResult> seen)
      throws Exception {
    reportFailuresLeft.set(0);
    URI broker = broker();
    Http http = http(2);
    List<ProductionRun.Line> lines =
        List.of(new ProductionRun.Line("line-1", new BrokerClient(http, broker, "Bearer 1")));
    return new ProductionRun(
            lines,
            new ChipClient(http, chips()),
            stations,
            LineWorker.PackageTap.NONE,
            arrival,
            ProductionRun.ReportBatching.DEFAULT,
            claimBatch)
        .run(ids(eids), seen::add);
  }

  private List<FakeServer.Recorded> singleClaims() {
    return servers.get(0).requests().stream()
        .filter(r -> r.path().equals("/api/v1/claims"))
        .toList();
  }

  @Test
  void batchedClaims_takeTheNextKChipsInOneCall_andEveryDeviceIsCountedOnce() throws Exception {
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> eids = eids(20);

    RunSummary summary = runClaiming(8, 1, eids, LineWorker.PackageArrival.NONE, seen);

    assertThat(summary.devices()).isEqualTo(20);
    assertThat(summary.installed()).isEqualTo(20);
    assertThat(seen.stream().map(DeviceResult::eid).distinct()).hasSize(20);
    assertThat(seen).hasSize(20);
    assertThat(claimBatchSizes).containsExactly(8, 8, 4);
    assertThat(singleClaims()).isEmpty();
    // Each chip got its own package (the fake chip checks it) and its own signed result.
    assertThat(reports).hasSize(20);
    assertThat(reports.get(tx(eids.get(13))))
        .isEqualTo(Base64.getEncoder().encodeToString(("PIR-" + eids.get(13)).getBytes()));
    assertThat(seen).allMatch(r -> r.claimNanos() > 0);
    // The batch's certificate is fetched once, and no package is downloaded separately.
    assertThat(servers.get(0).requests())
        .filteredOn(r -> r.path().endsWith("certificate"))
        .hasSize(1);
    assertThat(servers.get(0).requests())
        .noneMatch(r -> r.method().equals("GET") && r.path().matches("/api/v1/packages/\\d+"));
  }

  @Test
  void aRefusedClaimInABatch_isThatDevicesOutcome_andTheOthersAreProgrammed() throws Exception {
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> eids = new ArrayList<>(eids(6));
    eids.add(2, UNKNOWN);
    claimedElsewhere.add(eids.get(4));
    rejectingChips.add(eids.get(5));

    RunSummary summary = runClaiming(8, 1, eids, LineWorker.PackageArrival.NONE, seen);

    assertThat(summary.devices()).isEqualTo(7);
    assertThat(summary.installed()).isEqualTo(4);
    assertThat(summary.failures())
        .containsOnly(
            Map.entry("no_package:package-not-found", 1),
            Map.entry("no_package:package-claimed", 1),
            Map.entry("rejected:invalidSignature", 1));
    assertThat(claimBatchSizes).containsExactly(7);
    assertThat(singleClaims()).isEmpty();
    assertThat(claimAttempts.get(UNKNOWN)).hasValue(1);
    assertThat(seen).hasSize(7);
  }

  @Test
  void aClaimInABatchNamingNoEidOrAnotherChip_isThatChipsError_andTheOthersAreProgrammed()
      throws Exception {
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> eids = eids(6);
    answeredAs.put(eids.get(1), "8904903212345123451234567890123X"); // not an EID
    answeredAs.put(eids.get(4), eids.get(5)); // another chip's (its package is bound to that one)

    RunSummary summary = runClaiming(8, 1, eids, LineWorker.PackageArrival.NONE, seen);

    assertThat(summary.devices()).isEqualTo(6);
    assertThat(summary.installed()).isEqualTo(4);
    assertThat(summary.failures())
        .containsOnly(
            Map.entry("error:claim:" + BrokerClient.INVALID_EID, 1),
            Map.entry("error:claim:" + BrokerClient.EID_MISMATCH, 1));
    // Refused in the one batch call, not claimed again, no package pushed into either chip.
    assertThat(claimBatchSizes).containsExactly(6);
    assertThat(singleClaims()).isEmpty();
    assertThat(loads).hasValue(4);
    assertThat(reports).hasSize(4).doesNotContainKeys(tx(eids.get(1)), tx(eids.get(4)));
    assertThat(seen)
        .filteredOn(r -> r.eid().value().equals(eids.get(1)) || r.eid().value().equals(eids.get(4)))
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(DeviceResult.Outcome.ERROR);
              assertThat(r.recoverable()).isFalse();
            });
  }

  @Test
  void aClaimBatchWithoutAnswer_fallsBackToSingleClaims_andNothingIsLost() throws Exception {
    claimBatchesFailForGood = true;
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> eids = eids(10);

    RunSummary summary = runClaiming(4, 1, eids, LineWorker.PackageArrival.NONE, seen);

    assertThat(summary.installed()).isEqualTo(10);
    assertThat(summary.failures()).isEmpty();
    assertThat(seen).hasSize(10);
    // 4 + 4 + 2 chips: three batch calls (each tried twice), then each chip claimed on its own.
    assertThat(
            servers.get(0).requests().stream().filter(r -> r.path().equals("/api/v1/claims/batch")))
        .hasSize(6);
    assertThat(singleClaims()).hasSize(10);
    assertThat(reports).hasSize(10);
  }

  @Test
  void aPackageNotYetAtTheBroker_inABatch_waitsInTheSingleClaimLoop() throws Exception {
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> eids = eids(5);
    lateUntil.put(eids.get(1), new AtomicInteger(3));
    LineWorker.PackageArrival arrival = () -> lateUntil.get(eids.get(1)).get() > 0;

    RunSummary summary = runClaiming(8, 1, eids, arrival, seen);

    assertThat(summary.installed()).isEqualTo(5);
    assertThat(summary.failures()).isEmpty();
    assertThat(claimBatchSizes).containsExactly(5);
    // One 404 in the batch, two in the single claim's loop, then the package is there.
    assertThat(claimAttempts.get(eids.get(1))).hasValue(4);
    assertThat(singleClaims()).hasSize(3).allMatch(r -> r.body().contains(eids.get(1)));
    assertThat(seen).hasSize(5);
  }

  @Test
  void claimBatchOne_claimsEachChipOnItsOwn_asBefore() throws Exception {
    List<DeviceResult> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    RunSummary summary = runClaiming(1, 2, eids(9), LineWorker.PackageArrival.NONE, seen);

    assertThat(summary.installed()).isEqualTo(9);
    assertThat(claimBatchSizes).isEmpty();
    assertThat(singleClaims()).hasSize(9);
    assertThat(seen).hasSize(9);
  }

  @TempDir Path journals;

  private static final Backoff QUICK =
      new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(2));

  private ProductionRun journalled(URI broker, Http http, int claimBatch) {
    List<ProductionRun.Line> lines =
        List.of(new ProductionRun.Line("line-1", new BrokerClient(http, broker, "Bearer 1")));
    return new ProductionRun(
        lines,
        new ChipClient(http, chips()),
        2,
        LineWorker.PackageTap.NONE,
        LineWorker.PackageArrival.NONE,
        new ProductionRun.ReportBatching(4, Duration.ofMillis(20)),
        claimBatch,
        journals,
        QUICK);
  }

  @Test
  @Timeout(60) // a line waits through an outage for as long as it lasts
  void brokerUnavailableForAWhile_theLineWaits_honoursRetryAfter_andThenDelivers()
      throws Exception {
    reportFailuresLeft.set(0);
    // The broker's database is down: claims get no answer worth having, and three tries of every
    // report call in a row get 503 with Retry-After: 1 (two attempts per call: two waits of the
    // line).
    claimFailuresLeft.set(5);
    reportsRetryAfterLeft.set(4);
    URI broker = broker();
    List<String> eids = eids(8);
    long start = System.nanoTime();

    RunSummary summary = journalled(broker, http(2), 1).run(ids(eids), r -> {});

    assertThat(summary.failures()).isEmpty();
    assertThat(summary.installed()).isEqualTo(8);
    assertThat(reports).hasSize(8);
    assertThat(recordedTimes.values()).allMatch(n -> n.get() == 1);
    // Two waits of the line on the broker's Retry-After: 1 (the call's own retries cap it at
    // 5 ms, the line follows it).
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1900));
    try (var j = org.ifpp.line.journal.ResultJournal.open(journals, "line-1")) {
      assertThat(j.pending()).as("every answered result leaves the journal").isEmpty();
    }
  }

  @Test
  @Timeout(60) // a line waits through an outage for as long as it lasts
  void stoppedBetweenInstallAndReport_theNextRunSendsTheJournal_andProgramsNoChipTwice()
      throws Exception {
    reportFailuresLeft.set(0);
    batchesFailForGood = true; // the broker never answers a report in the first run
    URI broker = broker();
    List<String> eids = eids(6);
    ProductionRun first = journalled(broker, http(2), 8);
    var running =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return first.run(ids(eids), r -> {});
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await("every chip installed")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(loads.get()).isEqualTo(6));
    // The line keeps waiting for the broker...
    await().during(Duration.ofMillis(200)).until(() -> !running.isDone());
    first.stop(); // ...until it is stopped
    RunSummary stopped = running.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(stopped.installed()).isZero();
    assertThat(reports).isEmpty();
    try (var j = org.ifpp.line.journal.ResultJournal.open(journals, "line-1")) {
      assertThat(j.pending()).hasSize(6);
    }

    // The broker is back; the line restarts on the same chips.
    batchesFailForGood = false;
    RunSummary again = journalled(broker, http(2), 8).run(ids(eids), r -> {});

    assertThat(again.installed()).isEqualTo(6);
    assertThat(again.failures()).isEmpty();
    assertThat(loads.get()).as("no chip programmed twice").isEqualTo(6);
    assertThat(reports).hasSize(6);
    assertThat(recordedTimes.values()).as("each result recorded once").allMatch(n -> n.get() == 1);
    assertThat(reports.get(tx(eids.get(2))))
        .isEqualTo(Base64.getEncoder().encodeToString(("PIR-" + eids.get(2)).getBytes()));
    try (var j = org.ifpp.line.journal.ResultJournal.open(journals, "line-1")) {
      assertThat(j.pending()).isEmpty();
    }
  }

  @Test
  @Timeout(60) // a line waits through an outage for as long as it lasts
  void aChipWhoseKeyIsUsed_reportsItsOwnResultFromItsNotifications_removedAfterTheAck()
      throws Exception {
    reportFailuresLeft.set(0);
    URI broker = broker();
    List<String> eids = eids(4);
    // Chip 1 already installed this package in an earlier run whose answer was lost: its key is
    // used, a push again is refused (invalidSignature), and its notification holds the result.
    String used = eids.get(1);
    rejectingChips.add(used);
    byte[] genuine = ("GENUINE-PIR-" + used).getBytes();
    notified.put(used, new Notified(7, tx(used), genuine));
    // Chip 2 refuses too, but has no notification for this transaction (a clone attempt).
    rejectingChips.add(eids.get(2));

    RunSummary summary = journalled(broker, http(2), 1).run(ids(eids), r -> {});

    assertThat(summary.installed()).isEqualTo(3);
    assertThat(summary.failures()).containsOnly(Map.entry("rejected:invalidSignature", 1));
    assertThat(reports.get(tx(used)))
        .as("the chip's own signed result, not the refusal")
        .isEqualTo(Base64.getEncoder().encodeToString(genuine));
    // The other refusal is what its chip signed, reported as it is.
    assertThat(reports.get(tx(eids.get(2))))
        .isEqualTo(Base64.getEncoder().encodeToString(("PIR-" + eids.get(2)).getBytes()));
    assertThat(removedAfterReport).containsExactly(Map.entry(used, true));
  }

  @Test
  @Timeout(60)
  void aChipWhoseLastKeyIsUsed_alsoReportsItsOwnResultFromItsNotifications() throws Exception {
    reportFailuresLeft.set(0);
    URI broker = broker();
    List<String> eids = eids(3);
    // Chip 1 installed this package with its last one-time key in an earlier run whose answer was
    // lost: a push again is refused with oneTimeKeysExhausted; its notification holds the result.
    String used = eids.get(1);
    rejectingChips.add(used);
    exhaustedChips.add(used);
    byte[] genuine = ("GENUINE-PIR-" + used).getBytes();
    notified.put(used, new Notified(3, tx(used), genuine));

    RunSummary summary = journalled(broker, http(2), 1).run(ids(eids), r -> {});

    assertThat(summary.installed()).isEqualTo(3);
    assertThat(reports.get(tx(used))).isEqualTo(Base64.getEncoder().encodeToString(genuine));
  }

  @Test
  void summaryPercentiles_useNearestRank() {
    long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(RunSummary.percentile(sorted, 50)).isEqualTo(5);
    assertThat(RunSummary.percentile(sorted, 99)).isEqualTo(10);
    assertThat(RunSummary.percentile(new long[0], 99)).isZero();
  }
}
