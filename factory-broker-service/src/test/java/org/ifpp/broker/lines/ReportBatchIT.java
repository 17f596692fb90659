package org.ifpp.broker.lines;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.crypto.ids.TransactionId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/reports}: many results of one line, each answered as the single report. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class ReportBatchIT extends BrokerItSupport {

  private static final String PATH = "/api/v1/reports";

  @Autowired MeterRegistry meters;

  private final Random rnd = new Random();

  private static Map<String, Object> item(String tx, String outcome, byte[] pir) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("transactionId", tx);
    if (outcome != null) {
      m.put("outcome", outcome);
    }
    m.put("profileInstallationResult", TestPackages.b64(pir));
    return m;
  }

  private static Map<String, Object> item(TransactionId tx, String outcome, byte[] pir) {
    return item(tx.toHex(), outcome, pir);
  }

  private Response batch(String token, List<?> items, String... headers) {
    return api.post(PATH, token, Map.of("results", items), headers);
  }

  private int stored(TransactionId tx) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM installation_result WHERE transaction_id = ?",
        Integer.class,
        tx.toBytes());
  }

  private double reported(String outcome) {
    return meters.counter("broker.reports", "outcome", outcome).count();
  }

  private static void assertItem(JsonNode n, int status, String code) {
    assertThat(n.get("status").asInt()).as(n.toString()).isEqualTo(status);
    if (code == null) {
      assertThat(n.has("code")).as(n.toString()).isFalse();
    } else {
      assertThat(n.get("code").asString()).as(n.toString()).isEqualTo(code);
      assertThat(n.get("detail").asString()).isNotBlank();
      assertThat(n.has("reportedAt")).isFalse();
    }
  }

  private static void assertProblem(Response r, int status, String code) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo(code);
  }

  @Test
  void mixedBatch_eachItemIsAnsweredAsTheSingleReport_inRequestOrder_andNothingIsLost() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    String l2 = createLine(factory, "L2");
    List<Pkg> p = packages(7, 200);
    assertThat(upload(unique("B"), factory, p).status()).isEqualTo(201);
    for (int i = 0; i < 7; i++) {
      assertThat(claim(i == 4 ? l2 : l1, p.get(i).eid()).status()).isEqualTo(200);
    }
    byte[] installed0 = TestPackages.installationResult(p.get(0).tx(), rnd);
    byte[] failed1 = TestPackages.installationResult(p.get(1).tx(), false, rnd);
    byte[] first2 = TestPackages.installationResult(p.get(2).tx(), rnd);
    Response single2 = report(l1, p.get(2).tx(), "installed", first2);
    assertThat(single2.status()).isEqualTo(200);
    byte[] first3 = TestPackages.installationResult(p.get(3).tx(), rnd);
    assertThat(report(l1, p.get(3).tx(), "installed", first3).status()).isEqualTo(200);
    byte[] other3 = TestPackages.installationResult(p.get(3).tx(), false, rnd);
    TransactionId unknown = TestPackages.transactionId(rnd);
    byte[] garbage = new byte[40];
    rnd.nextBytes(garbage);
    double installedBefore = reported("installed");
    double failedBefore = reported("failed");

    List<Object> items = new ArrayList<>();
    items.add(item(p.get(0).tx(), "installed", installed0)); // 0: new, installed
    items.add(item(p.get(1).tx(), "failed", failed1)); // 1: new, failed
    items.add(item(p.get(2).tx(), "installed", first2)); // 2: repeat of the same result
    items.add(item(p.get(3).tx(), "failed", other3)); // 3: a different result, kept too
    items.add(item(unknown, null, TestPackages.installationResult(unknown, rnd))); // 4
    items.add(
        item(p.get(4).tx(), "installed", TestPackages.installationResult(p.get(4).tx(), rnd)));
    items.add(item(p.get(5).tx(), "installed", garbage)); // 6: not a signed result
    items.add(item(p.get(0).tx(), "installed", installed0)); // 7: twice in one request
    items.add(
        item(
            p.get(6).tx(),
            "failed",
            TestPackages.installationResult(p.get(6).tx(), rnd))); // 8: outcome mismatch
    items.add(item("zz", "installed", installed0)); // 9: not a transactionId
    items.add(null); // 10
    items.add(item(p.get(1).tx().toHex().toLowerCase(), null, failed1)); // 11: same tx, lower case

    Response r = batch(l1, items);

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode a = r.json().get("results");
    assertThat(a.size()).isEqualTo(items.size());
    assertItem(a.get(0), 200, null);
    assertThat(a.get(0).get("outcome").asString()).isEqualTo("installed");
    assertThat(a.get(0).get("transactionId").asString()).isEqualTo(p.get(0).tx().toHex());
    assertItem(a.get(1), 200, null);
    assertThat(a.get(1).get("outcome").asString()).isEqualTo("failed");
    assertItem(a.get(2), 200, null);
    assertThat(a.get(2).get("reportedAt").asString())
        .isEqualTo(single2.json().get("reportedAt").asString());
    assertItem(a.get(3), 200, null);
    assertThat(a.get(3).get("outcome").asString()).isEqualTo("failed");
    assertItem(a.get(4), 404, "package-not-found");
    assertItem(a.get(5), 409, "not-claim-holder");
    assertItem(a.get(6), 400, "malformed-pir");
    assertItem(a.get(7), 400, "duplicate-in-batch");
    assertItem(a.get(8), 400, "outcome-mismatch");
    assertItem(a.get(9), 400, "invalid-transaction-id");
    assertThat(a.get(9).get("transactionId").asString()).isEqualTo("zz");
    assertItem(a.get(10), 400, "invalid-item");
    assertItem(a.get(11), 400, "duplicate-in-batch");
    for (int i = 0; i < items.size(); i++) {
      if (i != 10) {
        assertThat(a.get(i).has("transactionId")).isTrue();
      }
    }

    // Every valid item is stored exactly once, with its own bytes (a second distinct result for
    // a reported package too, after the first); refused ones not at all.
    assertThat(stored(p.get(0).tx())).isEqualTo(1);
    assertThat(stored(p.get(1).tx())).isEqualTo(1);
    assertThat(stored(p.get(2).tx())).isEqualTo(1);
    assertThat(stored(p.get(3).tx())).isEqualTo(2);
    assertThat(stored(p.get(4).tx())).isZero();
    assertThat(stored(p.get(5).tx())).isZero();
    assertThat(stored(p.get(6).tx())).isZero();
    assertThat(
            jdbc.queryForList(
                "SELECT pir FROM installation_result WHERE transaction_id = ? ORDER BY seq",
                byte[].class,
                p.get(3).tx().toBytes()))
        .containsExactly(first3, other3);
    assertThat(
            jdbc.queryForObject(
                "SELECT outcome FROM installation_result WHERE transaction_id = ?",
                String.class,
                p.get(1).tx().toBytes()))
        .isEqualTo("FAILED");
    assertThat(
            jdbc.queryForObject(
                "SELECT state FROM package WHERE transaction_id = ?",
                String.class,
                p.get(4).tx().toBytes()))
        .isEqualTo("CLAIMED");
    // Counted once each, like the single report; repeats are not counted again.
    assertThat(reported("installed")).isEqualTo(installedBefore + 1);
    assertThat(reported("failed")).isEqualTo(failedBefore + 2);

    // The same batch again: the new results are now repeats, answered like the first time.
    Response again = batch(l1, items);
    JsonNode b = again.json().get("results");
    assertItem(b.get(0), 200, null);
    assertThat(b.get(0).get("reportedAt").asString())
        .isEqualTo(a.get(0).get("reportedAt").asString());
    assertItem(b.get(1), 200, null);
    assertItem(b.get(3), 200, null);
    assertThat(b.get(3).get("reportedAt").asString())
        .isEqualTo(a.get(3).get("reportedAt").asString());
    assertThat(stored(p.get(3).tx())).isEqualTo(2);
    assertItem(b.get(7), 400, "duplicate-in-batch");
    assertThat(stored(p.get(0).tx())).isEqualTo(1);
    assertThat(reported("installed")).isEqualTo(installedBefore + 1);
    // And a single report of a batch-reported result is a repeat too.
    Response single0 = report(l1, p.get(0).tx(), "installed", installed0);
    assertThat(single0.status()).isEqualTo(200);
    assertThat(single0.json().get("reportedAt").asString())
        .isEqualTo(a.get(0).get("reportedAt").asString());
  }

  @Test
  void fullBatch_isStoredInOneGo_andEveryItemExactlyOnce() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    List<Pkg> p = packages(LineController.MAX_REPORTS, 100);
    upload(unique("B"), factory, p);
    List<Object> items = new ArrayList<>();
    for (Pkg pkg : p) {
      claim(l1, pkg.eid());
      items.add(item(pkg.tx(), "installed", TestPackages.installationResult(pkg.tx(), rnd)));
    }
    Response r = batch(l1, items);
    assertThat(r.status()).isEqualTo(200);
    JsonNode a = r.json().get("results");
    for (int i = 0; i < p.size(); i++) {
      assertItem(a.get(i), 200, null);
      assertThat(a.get(i).get("transactionId").asString()).isEqualTo(p.get(i).tx().toHex());
    }
    List<byte[]> txs = p.stream().map(x -> x.tx().toBytes()).toList();
    List<Integer> counts =
        jdbc.queryForObject(
            "SELECT count(*), count(DISTINCT r.transaction_id) FROM installation_result r"
                + " JOIN package p ON p.id = r.package_id WHERE p.target_factory = ?",
            (rs, i) -> List.of(rs.getInt(1), rs.getInt(2)),
            factory);
    assertThat(counts).containsExactly(txs.size(), txs.size());
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM package WHERE target_factory = ? AND state = 'REPORTED'",
                Integer.class,
                factory))
        .isEqualTo(txs.size());
  }

  @Test
  void lastClaimant_mayReportInABatch_afterItsLeaseRanOut_unlessAnotherLineClaimedSince() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    String l2 = createLine(factory, "L2");
    List<Pkg> p = packages(2, 100);
    upload(unique("B"), factory, p);
    claim(l1, p.get(0).eid());
    claim(l1, p.get(1).eid());
    clock.advance(Duration.ofSeconds(61)); // lease is 60 s in tests
    assertThat(claim(l2, p.get(1).eid()).status()).isEqualTo(200);
    Response r =
        batch(
            l1,
            List.of(
                item(
                    p.get(0).tx(),
                    "installed",
                    TestPackages.installationResult(p.get(0).tx(), rnd)),
                item(
                    p.get(1).tx(),
                    "installed",
                    TestPackages.installationResult(p.get(1).tx(), rnd))));
    JsonNode a = r.json().get("results");
    assertItem(a.get(0), 200, null);
    assertItem(a.get(1), 409, "not-claim-holder");
  }

  @Test
  void wholeRequestProblems_areProblemJson() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    TransactionId tx = TestPackages.transactionId(rnd);
    byte[] pir = TestPackages.installationResult(tx, rnd);
    assertProblem(batch(l1, List.of()), 400, "no-results");
    assertProblem(api.post(PATH, l1, "{}"), 400, "no-results");
    List<Object> tooMany = new ArrayList<>();
    for (int i = 0; i <= LineController.MAX_REPORTS; i++) {
      tooMany.add(item(tx, "installed", pir));
    }
    assertProblem(batch(l1, tooMany), 400, "too-many-results");
    assertProblem(api.post(PATH, l1, "{\"results\": ["), 400, "malformed-json");
    assertProblem(api.post(PATH, l1, "[1,2]"), 400, "malformed-json");
    assertProblem(batch(null, List.of(item(tx, "installed", pir))), 401, "missing-credentials");
    String noReport = createClient(unique("c"), "claim", factory, "L1");
    assertProblem(batch(noReport, List.of(item(tx, "installed", pir))), 403, "missing-scope");
    String anyLine = createClient(unique("c"), "report", factory, null);
    assertProblem(batch(anyLine, List.of(item(tx, "installed", pir))), 400, "missing-line-id");
    assertProblem(
        batch(l1, List.of(item(tx, "installed", pir)), "X-Line-Id", "L2"), 403, "line-mismatch");
    // A factory-wide credential names its line; then the item is looked up for that line.
    JsonNode ok = batch(anyLine, List.of(item(tx, "installed", pir)), "X-Line-Id", "L1").json();
    assertItem(ok.get("results").get(0), 404, "package-not-found");
  }

  @Test
  void batchReportedResults_areExportedExactlyLikeSingleOnes() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    List<Pkg> p = packages(6, 100);
    String batchId = unique("B");
    upload(batchId, factory, p);
    Map<String, byte[]> pirs = new HashMap<>();
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < p.size(); i++) {
      Pkg pkg = p.get(i);
      claim(l1, pkg.eid());
      byte[] pir = TestPackages.installationResult(pkg.tx(), i % 3 != 0, rnd);
      pirs.put(pkg.tx().toHex(), pir);
      if (i < 2) {
        assertThat(report(l1, pkg.tx(), i % 3 != 0 ? "installed" : "failed", pir).status())
            .isEqualTo(200);
      } else {
        items.add(item(pkg.tx(), null, pir));
      }
    }
    assertThat(batch(l1, items).status()).isEqualTo(200);

    Response page = api.get("/api/v1/results?limit=100&batchId=" + batchId, KEYMAKER_TOKEN);
    assertThat(page.status()).isEqualTo(200);
    JsonNode results = page.json().get("results");
    assertThat(results.size()).isEqualTo(p.size());
    List<String> exported = new ArrayList<>();
    for (JsonNode n : results) {
      String tx = n.get("transactionId").asString();
      exported.add(tx);
      byte[] pir = Base64.getDecoder().decode(n.get("profileInstallationResult").asString());
      assertThat(pir).isEqualTo(pirs.get(tx));
      int i = p.stream().map(x -> x.tx().toHex()).toList().indexOf(tx);
      assertThat(n.get("outcome").asString()).isEqualTo(i % 3 != 0 ? "installed" : "failed");
      assertThat(n.get("line").asString()).isEqualTo("L1");
      assertThat(n.get("eid").asString()).isEqualTo(p.get(i).eid().value());
      assertThat(n.get("batchId").asString()).isEqualTo(batchId);
    }
    assertThat(exported).containsExactlyInAnyOrderElementsOf(pirs.keySet());
    // Pages of 2 cut through the batch's one transaction: each result still comes exactly once.
    List<String> paged = new ArrayList<>();
    String cursor = "";
    for (int guard = 0; guard < 20; guard++) {
      Response r =
          api.get(
              "/api/v1/results?limit=2&batchId=" + batchId + "&after=" + cursor, KEYMAKER_TOKEN);
      r.json().get("results").forEach(n -> paged.add(n.get("transactionId").asString()));
      cursor = r.json().get("nextCursor").asString();
      if (!r.json().get("hasMore").asBoolean()) {
        break;
      }
    }
    assertThat(paged).containsExactlyElementsOf(exported);
  }
}
