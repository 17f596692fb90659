package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BatchUploadIT extends BrokerItSupport {

  private int packagesOf(String batchId) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM package p JOIN batch b ON b.id = p.batch_id WHERE b.external_id = ?",
        Integer.class,
        batchId);
  }

  @Test
  void sameKeyAndSameBody_replaysTheFirstAnswer_withoutStoringTwice() {
    String batchId = unique("B");
    Map<String, Object> body = batchRequest(batchId, unique("F"), packages(3, 200));
    String key = unique("key");
    Response first = api.post("/api/v1/batches", KEYMAKER_TOKEN, body, "Idempotency-Key", key);
    Response second = api.post("/api/v1/batches", KEYMAKER_TOKEN, body, "Idempotency-Key", key);
    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(packagesOf(batchId)).isEqualTo(3);
  }

  @Test
  void sameKeyWithADifferentBody_isRefused() {
    String key = unique("key");
    String f = unique("F");
    Response first =
        api.post(
            "/api/v1/batches",
            KEYMAKER_TOKEN,
            batchRequest(unique("B"), f, packages(1, 100)),
            "Idempotency-Key",
            key);
    String otherBatch = unique("B");
    Response second =
        api.post(
            "/api/v1/batches",
            KEYMAKER_TOKEN,
            batchRequest(otherBatch, f, packages(1, 100)),
            "Idempotency-Key",
            key);
    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(422);
    assertThat(second.code()).isEqualTo("idempotency-key-reused");
    assertThat(packagesOf(otherBatch)).isZero();
  }

  @Test
  void aBatchWithOneKnownTransactionId_isRefusedWhole() {
    String f = unique("F");
    List<Pkg> first = packages(2, 100);
    assertThat(upload(unique("B"), f, first).status()).isEqualTo(201);
    List<Pkg> second = new ArrayList<>(packages(50, 100));
    second.add(25, first.get(1));
    String batchId = unique("B");
    Response r = upload(batchId, f, second);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("duplicate-transaction-id");
    assertThat(packagesOf(batchId)).isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM batch WHERE external_id = ?", Integer.class, batchId))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM package WHERE transaction_id = ?",
                Integer.class,
                second.get(0).tx().toBytes()))
        .isZero();
  }

  @Test
  void aBatchIdUsedTwice_isRefused() {
    String batchId = unique("B");
    String f = unique("F");
    assertThat(upload(batchId, f, packages(1, 100)).status()).isEqualTo(201);
    Response again = upload(batchId, f, packages(1, 100));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("duplicate-batch");
  }

  @Test
  void aBatchWithOneMalformedPackage_isRefusedWhole() {
    String f = unique("F");
    List<Pkg> pkgs = new ArrayList<>(packages(10, 100));
    Pkg bad = pkgs.get(7);
    byte[] truncated = java.util.Arrays.copyOf(bad.bpp(), bad.bpp().length - 3);
    pkgs.set(7, new Pkg(bad.eid(), bad.tx(), truncated, null));
    String batchId = unique("B");
    Response r = upload(batchId, f, pkgs);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("malformed-package");
    assertThat(r.json().get("detail").asString()).contains("packages[7]");
    assertThat(packagesOf(batchId)).isZero();
  }

  @Test
  void storedBytes_areExactlyTheUploadedOnes_andPurgeRemovesOnlyUnclaimed() {
    String f = unique("F");
    String line = createLine(f, "L1");
    List<Pkg> pkgs = packages(4, 5000);
    String batchId = unique("B");
    assertThat(upload(batchId, f, pkgs).status()).isEqualTo(201);
    for (Pkg p : pkgs) {
      byte[] stored =
          jdbc.queryForObject(
              "SELECT c.bpp FROM package_content c JOIN package p ON p.id = c.package_id"
                  + " WHERE p.transaction_id = ?",
              byte[].class,
              p.tx().toBytes());
      assertThat(stored).isEqualTo(p.bpp());
    }
    assertThat(claim(line, pkgs.get(0).eid()).status()).isEqualTo(200);
    assertThat(claim(line, pkgs.get(1).eid()).status()).isEqualTo(200);
    byte[] pir = TestPackages.installationResult(pkgs.get(1).tx(), new Random());
    assertThat(report(line, pkgs.get(1).tx(), "installed", pir).status()).isEqualTo(200);

    Response purge = api.post("/api/v1/batches/" + batchId + "/purge", KEYMAKER_TOKEN, null);
    assertThat(purge.status()).isEqualTo(200);
    assertThat(purge.json().get("purged").asInt()).isEqualTo(2);
    assertThat(purge.json().get("stillClaimed").asInt()).isEqualTo(1);
    assertThat(claim(line, pkgs.get(2).eid()).code()).isEqualTo("package-purged");
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM package_content c JOIN package p ON p.id = c.package_id"
                    + " JOIN batch b ON b.id = p.batch_id WHERE b.external_id = ?",
                Integer.class,
                batchId))
        .isEqualTo(2);
    Response status = api.get("/api/v1/batches/" + batchId, KEYMAKER_TOKEN);
    assertThat(status.json().get("claimed").asInt()).isEqualTo(1);
    assertThat(status.json().get("reported").asInt()).isEqualTo(1);
    assertThat(status.json().get("purged").asInt()).isEqualTo(2);
    assertThat(api.post("/api/v1/batches/nope/purge", KEYMAKER_TOKEN, null).code())
        .isEqualTo("batch-not-found");
  }
}
