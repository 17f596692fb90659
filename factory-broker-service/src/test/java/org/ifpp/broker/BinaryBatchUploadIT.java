package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The upload's binary form (application/vnd.ifpp.package-batch): same contract as the JSON one. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BinaryBatchUploadIT extends BrokerItSupport {

  private static final String TYPE = "application/vnd.ifpp.package-batch";

  /** Header length, JSON header without the packages' bytes, then the packages. */
  private static byte[] binary(Map<String, Object> jsonForm, List<Pkg> pkgs, boolean keepBase64) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list = (List<Map<String, Object>>) jsonForm.get("packages");
    if (!keepBase64) {
      list.forEach(m -> m.remove("boundProfilePackage"));
    }
    byte[] header = BrokerClient.JSON.writeValueAsBytes(jsonForm);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header.length >>> 24);
    out.write(header.length >>> 16);
    out.write(header.length >>> 8);
    out.write(header.length);
    out.writeBytes(header);
    pkgs.forEach(p -> out.writeBytes(p.bpp()));
    return out.toByteArray();
  }

  private Response post(byte[] body, String key) {
    return api.post(
        "/api/v1/batches", KEYMAKER_TOKEN, body, "Content-Type", TYPE, "Idempotency-Key", key);
  }

  private byte[] stored(Pkg p) {
    return jdbc.queryForObject(
        "SELECT c.bpp FROM package_content c JOIN package p ON p.id = c.package_id"
            + " WHERE p.transaction_id = ?",
        byte[].class,
        p.tx().toBytes());
  }

  @Test
  void binaryUpload_storesExactlyTheBytes_andReplaysUnderTheSameKey() {
    String f = unique("F");
    String line = createLine(f, "L1");
    List<Pkg> pkgs = packages(3, 3000);
    byte[] body = binary(batchRequest(unique("B"), f, pkgs), pkgs, false);
    String key = unique("key");
    Response first = post(body, key);
    assertThat(first.status()).as(first.text()).isEqualTo(201);
    assertThat(first.json().get("packageCount").asInt()).isEqualTo(3);
    for (Pkg p : pkgs) {
      assertThat(stored(p)).isEqualTo(p.bpp());
    }
    Response again = post(body, key);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.text()).isEqualTo(first.text());
    byte[] other = body.clone();
    other[other.length - 1] ^= 1;
    assertThat(post(other, key).code()).isEqualTo("idempotency-key-reused");
    assertThat(claim(line, pkgs.get(0).eid()).status()).isEqualTo(200);
  }

  @Test
  void malformedBinaryBodies_areRefusedWhole_withASpecificCode() {
    String f = unique("F");
    List<Pkg> pkgs = packages(2, 500);
    byte[] good = binary(batchRequest(unique("B"), f, pkgs), pkgs, false);
    int headerEnd = good.length - pkgs.get(0).bpp().length - pkgs.get(1).bpp().length;
    List<byte[]> bad =
        List.of(
            new byte[] {0, 0},
            new byte[] {0x7F, 0, 0, 0, '{', '}'},
            Arrays.copyOf(good, good.length - 1), // the last package cut short
            Arrays.copyOf(good, headerEnd + pkgs.get(0).bpp().length), // one package missing
            binary(batchRequest(unique("B"), f, pkgs), pkgs, true), // bytes in the header too
            concat(new byte[] {0, 0, 0, 3}, "{x}".getBytes()));
    for (byte[] b : bad) {
      Response r = post(b, unique("key"));
      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("malformed-batch-body");
    }
    // The same structural checks as the JSON form on each package's content.
    byte[] wrongTx = good.clone();
    wrongTx[headerEnd + 16] ^= 1; // inside the first package's BF23 transactionId
    Response r = post(wrongTx, unique("key"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isNotEqualTo("malformed-batch-body");
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM package WHERE eid = ?",
                Integer.class,
                pkgs.get(0).eid().value()))
        .isZero();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
