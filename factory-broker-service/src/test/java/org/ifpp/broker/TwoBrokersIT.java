package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.broker.support.BrokerClient;
import org.ifpp.broker.support.ChildBroker;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two brokers on one database (issue 16, "two of each"), started at the same moment with the same
 * bootstrap clients; eight lines spread over both race to claim every device of one batch, and one
 * broker is killed with SIGKILL mid-run, its lines going on through the other. No device is claimed
 * by two lines, every device is claimed by one, and every line downloads exactly the package it
 * claimed, also through the other broker.
 */
class TwoBrokersIT {

  private static final String KEYMAKER = "two-brokers-keymaker-token-0123";
  private static final int LINES = 8;
  private static final int DEVICES = 400;

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void twoBrokers_concurrentClaims_noDeviceClaimedTwice_evenWhenOneIsKilled() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("two_brokers");
    List<String> args = new ArrayList<>();
    args.add("--ifpp.broker.bootstrap-clients[0].name=keymaker");
    args.add("--ifpp.broker.bootstrap-clients[0].token=" + KEYMAKER);
    args.add("--ifpp.broker.bootstrap-clients[0].scopes=upload,export,purge");
    for (int i = 1; i <= LINES; i++) {
      String p = "--ifpp.broker.bootstrap-clients[" + i + "].";
      args.add(p + "name=line-" + i);
      args.add(p + "token=" + token(i));
      args.add(p + "scopes=claim,download,report,release");
      args.add(p + "factory=F1");
      args.add(p + "line=L" + i);
    }
    String[] a = args.toArray(String[]::new);
    // Both start at once: both may try to create the same bootstrap clients.
    CompletableFuture<ChildBroker> first =
        CompletableFuture.supplyAsync(() -> ChildBroker.start(db, a));
    CompletableFuture<ChildBroker> second =
        CompletableFuture.supplyAsync(() -> ChildBroker.start(db, a));
    try (ChildBroker one = first.get();
        ChildBroker two = second.get()) {
      BrokerClient api1 = new BrokerClient(one.baseUrl());
      BrokerClient api2 = new BrokerClient(two.baseUrl());
      Map<String, byte[]> bytesByEid = new HashMap<>();
      Map<String, Object> batch = batch(bytesByEid);
      assertThat(api1.post("/api/v1/batches", KEYMAKER, batch, "Idempotency-Key", "two-1").status())
          .isEqualTo(201);
      // The same upload retried through the other broker is a replay, not a second batch.
      BrokerClient.Response replay =
          api2.post("/api/v1/batches", KEYMAKER, batch, "Idempotency-Key", "two-1");
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");

      List<String> eids = new ArrayList<>(bytesByEid.keySet());
      Map<String, List<String>> winners = new ConcurrentHashMap<>();
      AtomicInteger claimed = new AtomicInteger();
      AtomicInteger failovers = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(LINES);
      List<Future<?>> lines = new ArrayList<>();
      for (int i = 1; i <= LINES; i++) {
        int line = i;
        lines.add(
            pool.submit(
                () -> {
                  // Lines 1-4 on broker one, 5-8 on broker two; each falls back to the other.
                  List<BrokerClient> brokers =
                      line <= LINES / 2 ? List.of(api1, api2) : List.of(api2, api1);
                  List<String> order = new ArrayList<>(eids);
                  Collections.shuffle(order, new Random(line));
                  start.await();
                  int current = 0;
                  for (String eid : order) {
                    while (true) {
                      BrokerClient broker = brokers.get(current);
                      try {
                        BrokerClient.Response r =
                            broker.post("/api/v1/claims", token(line), Map.of("eid", eid));
                        if (r.status() == 200) {
                          String tx = r.json().get("transactionId").asString();
                          BrokerClient.Response pkg =
                              broker.get("/api/v1/packages/" + tx, token(line));
                          assertThat(pkg.status()).isEqualTo(200);
                          assertThat(pkg.body()).isEqualTo(bytesByEid.get(eid));
                          winners
                              .computeIfAbsent(
                                  eid, e -> Collections.synchronizedList(new ArrayList<>()))
                              .add("L" + line);
                          claimed.incrementAndGet();
                        } else {
                          assertThat(r.status()).as(r.text()).isEqualTo(409);
                        }
                        break;
                      } catch (UncheckedIOException dead) {
                        // The broker died under this request: the same claim through the other.
                        current = 1 - current;
                        failovers.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofMinutes(3))
          .until(() -> claimed.get() >= DEVICES / 3);
      two.killHard();
      for (Future<?> f : lines) {
        f.get(4, TimeUnit.MINUTES);
      }
      pool.shutdown();

      assertThat(failovers.get()).as("lines of the killed broker went on elsewhere").isPositive();
      // Every device claimed, each by one line only (a line's retry after a lost answer may
      // claim its own device again, never another line's).
      assertThat(winners).hasSize(DEVICES);
      assertThat(winners.values()).allSatisfy(l -> assertThat(l.stream().distinct()).hasSize(1));
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
          PreparedStatement ps =
              c.prepareStatement("SELECT eid, state, claimed_line, claim_count FROM package");
          ResultSet rs = ps.executeQuery()) {
        int n = 0;
        while (rs.next()) {
          n++;
          String eid = rs.getString(1);
          assertThat(rs.getString(2)).isEqualTo("CLAIMED");
          assertThat(rs.getString(3)).isEqualTo(winners.get(eid).get(0));
          // More than one claim only where a line claimed its own device again after the killed
          // broker lost the answer.
          assertThat(rs.getInt(4)).isBetween(1, 1 + failovers.get());
        }
        assertThat(n).isEqualTo(DEVICES);
      }
    }
  }

  private static String token(int line) {
    return "two-brokers-line-" + line + "-token-0123456789";
  }

  private static Map<String, Object> batch(Map<String, byte[]> bytesByEid) {
    Random random = new Random(16);
    List<Map<String, Object>> pkgs = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      TransactionId tx = TestPackages.transactionId(random);
      String eid = TestPackages.eid(random).value();
      byte[] bpp = TestPackages.boundPackage(tx, 1000, random);
      bytesByEid.put(eid, bpp);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("eid", eid);
      m.put("transactionId", tx.toHex());
      m.put("boundProfilePackage", TestPackages.b64(bpp));
      pkgs.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("batchId", "two-brokers-batch");
    body.put("targetFactory", "F1");
    body.put("bindingCertificate", TestPackages.bindingCertificateBase64());
    body.put("packages", pkgs);
    return body;
  }
}
