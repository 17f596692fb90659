package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class LoadingReportIT extends BrokerItSupport {

  private List<String> exportAll(String batchId, int pageSize) {
    List<String> seen = new ArrayList<>();
    String cursor = "";
    for (int guard = 0; guard < 100; guard++) {
      Response r =
          api.get(
              "/api/v1/results?limit=" + pageSize + "&batchId=" + batchId + "&after=" + cursor,
              KEYMAKER_TOKEN);
      assertThat(r.status()).isEqualTo(200);
      for (JsonNode n : r.json().get("results")) {
        seen.add(n.get("transactionId").asString());
      }
      cursor = r.json().get("nextCursor").asString();
      if (!r.json().get("hasMore").asBoolean()) {
        break;
      }
    }
    return seen;
  }

  @Test
  void everyResult_isExportedExactlyOnce_acrossPages_withItsSignedBytes() {
    String f = unique("F");
    String line = createLine(f, "L1");
    List<Pkg> pkgs = packages(7, 100);
    String batchId = unique("B");
    upload(batchId, f, pkgs);
    List<String> expected = new ArrayList<>();
    byte[] lastPir = null;
    for (Pkg p : pkgs) {
      claim(line, p.eid());
      lastPir = TestPackages.installationResult(p.tx(), false, new Random());
      assertThat(report(line, p.tx(), "failed", lastPir).status()).isEqualTo(200);
      expected.add(p.tx().toHex());
    }
    assertThat(exportAll(batchId, 3)).containsExactlyElementsOf(expected);
    Response page = api.get("/api/v1/results?limit=100&batchId=" + batchId, KEYMAKER_TOKEN);
    JsonNode last = page.json().get("results").get(6);
    assertThat(Base64.getDecoder().decode(last.get("profileInstallationResult").asString()))
        .isEqualTo(lastPir);
    assertThat(last.get("outcome").asString()).isEqualTo("failed");
    assertThat(last.get("line").asString()).isEqualTo("L1");
  }

  @Test
  void aResultCommittingLate_isNotSkippedByACursorThatMovedPastALaterOne() throws Exception {
    String f = unique("F");
    String line = createLine(f, "L1");
    List<Pkg> pkgs = packages(2, 100);
    String batchId = unique("B");
    upload(batchId, f, pkgs);
    claim(line, pkgs.get(0).eid());
    claim(line, pkgs.get(1).eid());
    var db = database();
    try (Connection slow =
        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
      slow.setAutoCommit(false);
      // A report that has taken its sequence number but not committed yet (like a slow request).
      try (PreparedStatement ps =
          slow.prepareStatement(
              "WITH upd AS (UPDATE package SET state = 'REPORTED', state_changed_at = now()"
                  + " WHERE transaction_id = ? RETURNING id, batch_id, transaction_id, eid)"
                  + " INSERT INTO installation_result (package_id, batch_id, transaction_id, eid,"
                  + " outcome, pir, line, reported_at) SELECT id, batch_id, transaction_id, eid,"
                  + " 'INSTALLED', ?, 'L1', now() FROM upd")) {
        ps.setBytes(1, pkgs.get(0).tx().toBytes());
        ps.setBytes(2, TestPackages.installationResult(pkgs.get(0).tx(), new Random()));
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      byte[] pir = TestPackages.installationResult(pkgs.get(1).tx(), new Random());
      assertThat(report(line, pkgs.get(1).tx(), "installed", pir).status()).isEqualTo(200);
      Response during = api.get("/api/v1/results?batchId=" + batchId, KEYMAKER_TOKEN);
      // the later result waits until the earlier transaction is decided
      assertThat(during.json().get("results")).isEmpty();
      String cursor = during.json().get("nextCursor").asString();
      slow.commit();
      Response after =
          api.get("/api/v1/results?batchId=" + batchId + "&after=" + cursor, KEYMAKER_TOKEN);
      List<String> got = new ArrayList<>();
      after.json().get("results").forEach(n -> got.add(n.get("transactionId").asString()));
      assertThat(got).containsExactly(pkgs.get(0).tx().toHex(), pkgs.get(1).tx().toHex());
    }
  }
}
