package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient;
import org.ifpp.broker.support.ChildBroker;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the broker in the middle of a large batch upload leaves the batch absent (or, had it
 * committed, complete): never partial. After a restart the Key Maker's retry with the same
 * Idempotency-Key stores it whole.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class CrashDuringUploadIT {

  private static final String TOKEN = "crash-keymaker-token-0123456789";
  private static final int PACKAGES = 4000;

  private final TestPostgres.Database db = TestPostgres.newDatabase("crash");

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
  }

  private long count(String sql, String batchId) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long packagesOf(String batchId) throws SQLException {
    return count(
        "SELECT count(*) FROM package p JOIN batch b ON b.id = p.batch_id"
            + " WHERE b.external_id = ?",
        batchId);
  }

  private long batches(String batchId) throws SQLException {
    return count("SELECT count(*) FROM batch WHERE external_id = ?", batchId);
  }

  /**
   * True while another session has an open transaction that has written to this database and is
   * inserting packages (or, with {@code anyWrite}, has written anything).
   */
  private boolean uploadTransactionInFlight(Connection c, boolean anyWrite) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
                + (anyWrite ? "" : " AND query LIKE '%INSERT INTO package_content%'"))) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  private static String[] args() {
    return new String[] {
      "--ifpp.broker.bootstrap-clients[0].name=keymaker",
      "--ifpp.broker.bootstrap-clients[0].token=" + TOKEN,
      "--ifpp.broker.bootstrap-clients[0].scopes=upload,export,purge",
    };
  }

  private static Map<String, Object> bigBatch(String batchId) {
    Random random = new Random(42);
    List<Map<String, Object>> pkgs = new ArrayList<>();
    for (int i = 0; i < PACKAGES; i++) {
      TransactionId tx = TestPackages.transactionId(random);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("eid", TestPackages.eid(random).value());
      m.put("transactionId", tx.toHex());
      m.put("boundProfilePackage", TestPackages.b64(TestPackages.boundPackage(tx, 4000, random)));
      pkgs.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("batchId", batchId);
    body.put("targetFactory", "F1");
    body.put("bindingCertificate", TestPackages.bindingCertificateBase64());
    body.put("packages", pkgs);
    return body;
  }

  @Test
  void killDuringBatchUpload_leavesTheBatchAbsent_andARetryAfterRestartStoresItWhole()
      throws Exception {
    String batchId = "crash-batch";
    Map<String, Object> body = bigBatch(batchId);
    byte[] json = BrokerClient.JSON.writeValueAsBytes(body);
    boolean killedInFlight = false;

    try (ChildBroker child = ChildBroker.start(db, args());
        Connection watcher = connect()) {
      BrokerClient api = new BrokerClient(child.baseUrl());
      CompletableFuture<BrokerClient.Response> upload =
          CompletableFuture.supplyAsync(
              () -> api.post("/api/v1/batches", TOKEN, json, "Idempotency-Key", "k-1"));
      // true: the upload's transaction is caught in flight; false: the upload ended first.
      boolean inFlight =
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInSameThread()
              .pollInterval(Duration.ofMillis(2))
              .until(
                  () ->
                      uploadTransactionInFlight(watcher, false)
                          ? Boolean.TRUE
                          : upload.isDone() ? Boolean.FALSE : null,
                  Objects::nonNull);
      if (inFlight) {
        child.killHard();
        killedInFlight = true;
      }
      assertThat(killedInFlight).as("the upload transaction was caught in flight").isTrue();
      assertThat(upload.handle((r, e) -> r == null || r.status() != 201).get()).isTrue();
    }

    // The server aborts the dead session's transaction; nothing of the batch may be visible.
    try (Connection c = connect()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !uploadTransactionInFlight(c, true));
    }
    long pkgs = packagesOf(batchId);
    long batch = batches(batchId);
    assertThat(pkgs == 0 && batch == 0 || pkgs == PACKAGES && batch == 1)
        .as("batch rows=%d packages=%d: all or nothing", batch, pkgs)
        .isTrue();
    assertThat(pkgs).as("killed before commit").isZero();
    assertThat(count("SELECT count(*) FROM package_content WHERE ? IS NOT NULL", "x")).isZero();
    assertThat(count("SELECT count(*) FROM idempotency_record WHERE idempotency_key = ?", "k-1"))
        .isZero();

    // Restart; the Key Maker retries with the same key: the batch is stored whole, once.
    try (ChildBroker child = ChildBroker.start(db, args())) {
      BrokerClient api = new BrokerClient(child.baseUrl());
      BrokerClient.Response retry =
          api.post("/api/v1/batches", TOKEN, json, "Idempotency-Key", "k-1");
      assertThat(retry.status()).isEqualTo(201);
      child.killHard(); // right after the answer: what was acknowledged is durable
    }
    assertThat(batches(batchId)).isEqualTo(1);
    assertThat(packagesOf(batchId)).isEqualTo(PACKAGES);
    assertThat(count("SELECT count(*) FROM package_content WHERE ? IS NOT NULL", "x"))
        .isEqualTo(PACKAGES);
  }
}
