package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient;
import org.ifpp.broker.support.BrokerItSupport;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class ClaimRaceIT extends BrokerItSupport {

  @RepeatedTest(3)
  void sixtyFourLinesRacingForOneEid_exactlyOneWins() throws Exception {
    race(false);
  }

  /** The same race on the one-call claim+download. */
  @RepeatedTest(3)
  void sixtyFourLinesRacingForOneEid_claimingWithDownload_exactlyOneWins() throws Exception {
    race(true);
  }

  /**
   * A row whose lock another claim holds (its transaction not yet committed) is refused at once
   * with 409 {@code package-claimed}, after the claim's one second attempt, not queued; once that
   * transaction ends without claiming, the package is claimable again.
   */
  @Test
  void aPackageLockedByAClaimInFlight_isRefusedAtOnce_andClaimableAfterwards() throws Exception {
    String factory = unique("F");
    String line = createLine(factory, "L1");
    Pkg p = packages(1, 2000).get(0);
    assertThat(upload(unique("B"), factory, List.of(p)).status()).isEqualTo(201);

    try (Connection other = jdbc.getDataSource().getConnection()) {
      other.setAutoCommit(false);
      try (PreparedStatement lock =
          other.prepareStatement("SELECT id FROM package WHERE eid = ? FOR UPDATE")) {
        lock.setString(1, p.eid().value());
        lock.executeQuery().close();
      }
      long start = System.nanoTime();
      BrokerClient.Response refused = claim(line, p.eid());
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.code()).isEqualTo("package-claimed");
      // SKIP LOCKED: the refusal does not wait for the other transaction (bounded generously).
      assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
      other.rollback();
    }
    assertThat(claim(line, p.eid()).status()).isEqualTo(200);
  }

  private void race(boolean withDownload) throws Exception {
    String[] accept =
        withDownload
            ? new String[] {"Accept", "application/octet-stream"}
            : new String[] {"Accept", "application/json"};
    String factory = unique("F");
    String token = createClient(unique("factory-wide"), "claim,download", factory, null);
    List<Pkg> pkgs = packages(1, 2000);
    assertThat(upload(unique("B"), factory, pkgs).status()).isEqualTo(201);

    int lines = 64;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(lines);
    List<Future<BrokerClient.Response>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < lines; i++) {
        String line = "L" + i;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return claim(token, pkgs.get(0).eid(), "X-Line-Id", line, accept[0], accept[1]);
                }));
      }
      start.countDown();
      List<BrokerClient.Response> responses = new ArrayList<>();
      for (Future<BrokerClient.Response> f : futures) {
        responses.add(f.get());
      }
      List<BrokerClient.Response> winners =
          responses.stream().filter(r -> r.status() == 200).toList();
      assertThat(winners).hasSize(1);
      assertThat(responses.stream().filter(r -> r.status() == 409))
          .hasSize(lines - 1)
          .allSatisfy(r -> assertThat(r.code()).isEqualTo("package-claimed"));
      assertThat(
              jdbc.queryForObject(
                  "SELECT claim_count FROM package WHERE eid = ?",
                  Integer.class,
                  pkgs.get(0).eid().value()))
          .isEqualTo(1);
      // Only the winner can download.
      String winnerLine =
          jdbc.queryForObject(
              "SELECT claimed_line FROM package WHERE eid = ?",
              String.class,
              pkgs.get(0).eid().value());
      String tx =
          withDownload
              ? winners.get(0).header("X-Transaction-Id")
              : winners.get(0).json().get("transactionId").asString();
      if (withDownload) {
        assertThat(winners.get(0).body()).isEqualTo(pkgs.get(0).bpp());
      }
      assertThat(api.get("/api/v1/packages/" + tx, token, "X-Line-Id", winnerLine).body())
          .isEqualTo(pkgs.get(0).bpp());
      String loser = winnerLine.equals("L0") ? "L1" : "L0";
      assertThat(api.get("/api/v1/packages/" + tx, token, "X-Line-Id", loser).status())
          .isEqualTo(409);
    } finally {
      pool.shutdownNow();
    }
  }
}
