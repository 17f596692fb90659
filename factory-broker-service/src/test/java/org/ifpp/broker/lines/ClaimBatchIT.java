package org.ifpp.broker.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.crypto.ids.Eid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/claims/batch}: the next chips' packages, each claimed as the single claim.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class ClaimBatchIT extends BrokerItSupport {

  private static final String PATH = "/api/v1/claims/batch";
  private static final String BINARY = "application/vnd.ifpp.package-batch";

  private final Random rnd = new Random();

  /** The answer split: the header's entries, and the package of each 200 entry (else null). */
  private record Answer(Response response, JsonNode claims, List<byte[]> packages) {}

  private Answer batch(String token, List<String> eids, String... headers) {
    Response r = post(token, Map.of("eids", eids), headers);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith(BINARY);
    ByteBuffer b = ByteBuffer.wrap(r.body());
    int h = b.getInt();
    JsonNode header = BrokerClient.JSON.readTree(Arrays.copyOfRange(r.body(), 4, 4 + h));
    JsonNode claims = header.get("claims");
    int at = 4 + h;
    List<byte[]> packages = new ArrayList<>();
    for (JsonNode n : claims) {
      if (n.get("status").asInt() == 200) {
        int len = n.get("packageLength").asInt();
        packages.add(Arrays.copyOfRange(r.body(), at, at + len));
        at += len;
      } else {
        packages.add(null);
      }
    }
    assertThat(at).as("nothing after the last package").isEqualTo(r.body().length);
    return new Answer(r, claims, packages);
  }

  private Response post(String token, Object body, String... headers) {
    String[] all = Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "Accept";
    all[headers.length + 1] = BINARY;
    return api.post(PATH, token, body, all);
  }

  private static void assertRefused(JsonNode n, String eid, int status, String code) {
    assertThat(n.get("eid").asString()).isEqualTo(eid);
    assertThat(n.get("status").asInt()).as(n.toString()).isEqualTo(status);
    assertThat(n.get("code").asString()).as(n.toString()).isEqualTo(code);
    assertThat(n.get("detail").asString()).isNotBlank();
    assertThat(n.has("transactionId")).isFalse();
  }

  private void assertClaimed(Answer a, int i, Pkg p, String line, int claimCount) {
    JsonNode n = a.claims().get(i);
    assertThat(n.get("status").asInt()).as(n.toString()).isEqualTo(200);
    assertThat(n.get("eid").asString()).isEqualTo(p.eid().value());
    assertThat(n.get("transactionId").asString()).isEqualTo(p.tx().toHex());
    assertThat(n.get("claimCount").asInt()).isEqualTo(claimCount);
    assertThat(n.get("bindingCertificateUrl").asString())
        .isEqualTo("/api/v1/packages/" + p.tx().toHex() + "/binding-certificate");
    assertThat(n.has("code")).isFalse();
    assertThat(a.packages().get(i)).isEqualTo(p.bpp());
    Instant lease = Instant.parse(n.get("leaseExpiresAt").asString());
    // The lease of a claim: the claim's instant plus 60 s (the tests' lease), as the single claim.
    Instant now = anyClock.instant();
    assertThat(lease)
        .isAfter(now.plus(Duration.ofSeconds(57)))
        .isBeforeOrEqualTo(now.plus(Duration.ofSeconds(60)));
    Map<String, Object> row =
        jdbc.queryForMap(
            "SELECT state, claimed_line, lease_until FROM package WHERE transaction_id = ?",
            p.tx().toBytes());
    assertThat(row.get("state")).isEqualTo("CLAIMED");
    assertThat(row.get("claimed_line")).isEqualTo(line);
    assertThat(((java.sql.Timestamp) row.get("lease_until")).toInstant())
        .isEqualTo(lease.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  }

  @Test
  void mixedBatch_eachEidIsAnsweredAsTheSingleClaim_inRequestOrder_withItsExactBytes() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    String l2 = createLine(factory, "L2");
    List<Pkg> p = packages(5, 300);
    String batchId = unique("B");
    assertThat(upload(batchId, factory, p).status()).isEqualTo(201);
    List<Pkg> gone = packages(1, 100);
    String goneBatch = unique("B");
    assertThat(upload(goneBatch, factory, gone).status()).isEqualTo(201);
    assertThat(api.post("/api/v1/batches/" + goneBatch + "/purge", KEYMAKER_TOKEN, null).status())
        .isEqualTo(200);
    assertThat(claim(l1, p.get(1).eid()).status()).isEqualTo(200); // held by this line
    assertThat(claim(l2, p.get(2).eid()).status()).isEqualTo(200); // held by another line
    assertThat(claim(l1, p.get(3).eid()).status()).isEqualTo(200);
    assertThat(
            report(
                    l1,
                    p.get(3).tx(),
                    "installed",
                    TestPackages.installationResult(p.get(3).tx(), rnd))
                .status())
        .isEqualTo(200);
    clock.advance(Duration.ofSeconds(5));
    Eid unknown = TestPackages.eid(rnd);

    List<String> eids = new ArrayList<>();
    eids.add(p.get(4).eid().value()); // 0: available
    eids.add(p.get(1).eid().value()); // 1: this line's claim, renewed
    eids.add(p.get(2).eid().value()); // 2: another line's claim
    eids.add(unknown.value()); // 3: no package
    eids.add(p.get(3).eid().value()); // 4: reported
    eids.add(gone.get(0).eid().value()); // 5: purged
    eids.add("1234"); // 6: not an EID
    eids.add(p.get(4).eid().value()); // 7: twice in one request
    eids.add(null); // 8
    eids.add(p.get(0).eid().value()); // 9: available

    Answer a = batch(l1, eids);

    assertThat(a.claims().size()).isEqualTo(eids.size());
    assertClaimed(a, 0, p.get(4), "L1", 1);
    assertClaimed(a, 1, p.get(1), "L1", 2);
    assertRefused(a.claims().get(2), eids.get(2), 409, "package-claimed");
    assertRefused(a.claims().get(3), eids.get(3), 404, "package-not-found");
    assertRefused(a.claims().get(4), eids.get(4), 409, "package-reported");
    assertRefused(a.claims().get(5), eids.get(5), 409, "package-purged");
    assertRefused(a.claims().get(6), "1234", 400, "invalid-eid");
    assertRefused(a.claims().get(7), eids.get(7), 400, "duplicate-in-batch");
    assertThat(a.claims().get(8).get("status").asInt()).isEqualTo(400);
    assertThat(a.claims().get(8).get("code").asString()).isEqualTo("invalid-eid");
    assertClaimed(a, 9, p.get(0), "L1", 1);
    // The other line's claim is untouched.
    assertThat(
            jdbc.queryForObject(
                "SELECT claimed_line FROM package WHERE transaction_id = ?",
                String.class,
                p.get(2).tx().toBytes()))
        .isEqualTo("L2");
    // Each refusal is what the single claim answers.
    for (int i : new int[] {2, 3, 4, 5}) {
      Response single = claim(l1, new Eid(eids.get(i)));
      assertThat(single.status()).isEqualTo(a.claims().get(i).get("status").asInt());
      assertThat(single.code()).isEqualTo(a.claims().get(i).get("code").asString());
    }

    // The same batch again: the claims are repeats, the leases renewed, the bytes the same.
    clock.advance(Duration.ofSeconds(7));
    Answer again = batch(l1, eids);
    assertClaimed(again, 0, p.get(4), "L1", 2);
    assertClaimed(again, 1, p.get(1), "L1", 3);
    assertClaimed(again, 9, p.get(0), "L1", 2);
  }

  @Test
  void fullBatch_claimsEveryPackage_andAnExpiredLeaseIsTakenOver() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    String l2 = createLine(factory, "L2");
    List<Pkg> p = packages(LineController.MAX_CLAIMS, 120);
    upload(unique("B"), factory, p);
    assertThat(claim(l2, p.get(7).eid()).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(61)); // lease is 60 s in tests
    Answer a = batch(l1, p.stream().map(x -> x.eid().value()).toList());
    for (int i = 0; i < p.size(); i++) {
      assertClaimed(a, i, p.get(i), "L1", i == 7 ? 2 : 1);
    }
  }

  @Test
  void aLine_neverGetsAnotherFactorysOrAnotherLinesPackage() {
    String f1 = unique("F");
    String f2 = unique("F");
    String l1 = createLine(f1, "L1");
    String other = createLine(f2, "L1");
    String l2 = createLine(f1, "L2");
    List<Pkg> mine = packages(2, 100);
    upload(unique("B"), f1, mine);
    List<Pkg> theirs = packages(2, 100);
    upload(unique("B"), f2, theirs);
    List<Pkg> forL2 = new ArrayList<>();
    for (Pkg x : packages(2, 100)) {
      forL2.add(new Pkg(x.eid(), x.tx(), x.bpp(), "L2"));
    }
    upload(unique("B"), f1, forL2);
    List<String> eids =
        List.of(
            theirs.get(0).eid().value(),
            mine.get(0).eid().value(),
            forL2.get(0).eid().value(),
            theirs.get(1).eid().value(),
            forL2.get(1).eid().value(),
            mine.get(1).eid().value());
    Answer a = batch(l1, eids);
    assertRefused(a.claims().get(0), eids.get(0), 404, "package-not-found");
    assertClaimed(a, 1, mine.get(0), "L1", 1);
    assertRefused(a.claims().get(2), eids.get(2), 404, "package-not-found");
    assertRefused(a.claims().get(3), eids.get(3), 404, "package-not-found");
    assertRefused(a.claims().get(4), eids.get(4), 404, "package-not-found");
    assertClaimed(a, 5, mine.get(1), "L1", 1);
    // Their own lines get them.
    Answer b = batch(other, List.of(theirs.get(1).eid().value(), theirs.get(0).eid().value()));
    assertClaimed(b, 0, theirs.get(1), "L1", 1);
    assertClaimed(b, 1, theirs.get(0), "L1", 1);
    Answer c = batch(l2, List.of(forL2.get(0).eid().value(), mine.get(0).eid().value()));
    assertClaimed(c, 0, forL2.get(0), "L2", 1);
    assertRefused(c.claims().get(1), mine.get(0).eid().value(), 409, "package-claimed");
  }

  @Test
  void linesRacingForTheSameChips_eachPackageGoesToExactlyOneLine() throws Exception {
    String factory = unique("F");
    int lineCount = 6;
    List<String> tokens = new ArrayList<>();
    for (int l = 0; l < lineCount; l++) {
      tokens.add(createLine(factory, "L" + l));
    }
    for (int round = 0; round < 3; round++) {
      List<Pkg> p = packages(24, 100);
      upload(unique("B"), factory, p);
      List<java.util.concurrent.Callable<Answer>> calls = new ArrayList<>();
      for (int l = 0; l < lineCount; l++) {
        List<String> eids = new ArrayList<>(p.stream().map(x -> x.eid().value()).toList());
        java.util.Collections.shuffle(eids, new Random(round * 100L + l)); // sorted by the broker
        String token = tokens.get(l);
        calls.add(() -> batch(token, eids));
      }
      var pool = java.util.concurrent.Executors.newFixedThreadPool(lineCount);
      List<Answer> answers = new ArrayList<>();
      try {
        for (var f : pool.invokeAll(calls)) {
          answers.add(f.get());
        }
      } finally {
        pool.shutdown();
      }
      Map<String, Integer> winners = new java.util.HashMap<>();
      for (int l = 0; l < lineCount; l++) {
        for (JsonNode n : answers.get(l).claims()) {
          int status = n.get("status").asInt();
          if (status == 200) {
            assertThat(winners.put(n.get("eid").asString(), l)).as("claimed twice").isNull();
          } else {
            assertThat(status).as(n.toString()).isEqualTo(409);
            assertThat(n.get("code").asString()).isEqualTo("package-claimed");
          }
        }
      }
      assertThat(winners).hasSize(p.size());
      for (Pkg x : p) {
        assertThat(
                jdbc.queryForObject(
                    "SELECT claimed_line FROM package WHERE transaction_id = ?",
                    String.class,
                    x.tx().toBytes()))
            .isEqualTo("L" + winners.get(x.eid().value()));
      }
    }
  }

  private static void assertProblem(Response r, int status, String code) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo(code);
  }

  @Test
  void wholeRequestProblems_areProblemJson() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    String eid = TestPackages.eid(rnd).value();
    assertProblem(post(l1, Map.of("eids", List.of())), 400, "no-eids");
    assertProblem(post(l1, "{}"), 400, "no-eids");
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i <= LineController.MAX_CLAIMS; i++) {
      tooMany.add(TestPackages.eid(rnd).value());
    }
    assertProblem(post(l1, Map.of("eids", tooMany)), 400, "too-many-eids");
    assertProblem(post(l1, "{\"eids\": ["), 400, "malformed-json");
    assertProblem(post(l1, "[1,2]"), 400, "malformed-json");
    assertProblem(post(null, Map.of("eids", List.of(eid))), 401, "missing-credentials");
    String noDownload = createClient(unique("c"), "claim", factory, "L1");
    assertProblem(post(noDownload, Map.of("eids", List.of(eid))), 403, "missing-scope");
    String noClaim = createClient(unique("c"), "download", factory, "L1");
    assertProblem(post(noClaim, Map.of("eids", List.of(eid))), 403, "missing-scope");
    String anyLine = createClient(unique("c"), "claim,download", factory, null);
    assertProblem(post(anyLine, Map.of("eids", List.of(eid))), 400, "missing-line-id");
    assertProblem(post(l1, Map.of("eids", List.of(eid)), "X-Line-Id", "L2"), 403, "line-mismatch");
    // A factory-wide credential names its line.
    Answer ok = batch(anyLine, List.of(eid), "X-Line-Id", "L1");
    assertRefused(ok.claims().get(0), eid, 404, "package-not-found");
  }
}
