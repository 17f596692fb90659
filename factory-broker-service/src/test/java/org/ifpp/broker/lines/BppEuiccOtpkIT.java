package org.ifpp.broker.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.LineItSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The one-time key a package is bound to (SGP.22 bppEuiccOtpk) travels from the Key Maker's upload
 * to every claim form: the JSON claim (and its idempotent replay), the claim with download (header
 * {@code X-Bpp-Euicc-Otpk}) and the batch claim's entries. A package uploaded without it is claimed
 * without it; a malformed one refuses the whole upload.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BppEuiccOtpkIT extends LineItSupport {

  private static final String BINARY = "application/vnd.ifpp.package-batch";
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private String otpk() {
    byte[] k = new byte[65];
    random.nextBytes(k);
    k[0] = 0x04;
    return HEX.formatHex(k);
  }

  /** The Key Maker's form: binary, each package's key in the header ({@code keys[i]} or none). */
  private Response uploadBinary(List<Pkg> pkgs, List<String> keys) {
    Map<String, Object> form = batchRequest(unique("B"), factory, pkgs);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list = (List<Map<String, Object>>) form.get("packages");
    for (int i = 0; i < list.size(); i++) {
      list.get(i).remove("boundProfilePackage");
      if (keys.get(i) != null) {
        list.get(i).put("bppEuiccOtpk", keys.get(i));
      }
    }
    byte[] header = BrokerClient.JSON.writeValueAsBytes(form);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(4).putInt(header.length).array());
    out.writeBytes(header);
    pkgs.forEach(p -> out.writeBytes(p.bpp()));
    return api.post(
        "/api/v1/batches",
        KEYMAKER_TOKEN,
        out.toByteArray(),
        "Content-Type",
        BINARY,
        "Idempotency-Key",
        unique("key"));
  }

  @Test
  void everyClaimForm_carriesTheKeyTheKeyMakerNamed() {
    List<Pkg> pkgs = packages(4, 200);
    List<String> keys = Arrays.asList(otpk(), otpk(), null, otpk().toLowerCase());
    assertThat(uploadBinary(pkgs, keys).status()).isEqualTo(201);

    // JSON claim, then its replay under the same Idempotency-Key.
    Response json = claim(line, pkgs.get(0).eid(), "Idempotency-Key", "k-" + pkgs.get(0).tx());
    assertThat(json.status()).as(json.text()).isEqualTo(200);
    assertThat(json.json().get("bppEuiccOtpk").asString()).isEqualTo(keys.get(0));
    Response replay = claim(line, pkgs.get(0).eid(), "Idempotency-Key", "k-" + pkgs.get(0).tx());
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.json().get("bppEuiccOtpk").asString()).isEqualTo(keys.get(0));

    // Claim with download: the key in a header beside the package.
    Response octets = claim(line, pkgs.get(1).eid(), "Accept", "application/octet-stream");
    assertThat(octets.status()).isEqualTo(200);
    assertThat(octets.header("X-Bpp-Euicc-Otpk")).isEqualTo(keys.get(1));
    assertThat(octets.body()).isEqualTo(pkgs.get(1).bpp());

    // Batch claim: each entry with its own key; none for the package uploaded without one; the
    // key as upper-case hex whatever case it was uploaded in.
    Response batch =
        api.post(
            "/api/v1/claims/batch",
            line,
            Map.of("eids", List.of(pkgs.get(2).eid().value(), pkgs.get(3).eid().value())),
            "Accept",
            BINARY);
    assertThat(batch.status()).isEqualTo(200);
    int h = ByteBuffer.wrap(batch.body()).getInt();
    JsonNode claims =
        BrokerClient.JSON.readTree(Arrays.copyOfRange(batch.body(), 4, 4 + h)).get("claims");
    assertThat(claims.get(0).get("status").asInt()).isEqualTo(200);
    assertThat(claims.get(0).has("bppEuiccOtpk")).isFalse();
    assertThat(claims.get(1).get("bppEuiccOtpk").asString()).isEqualTo(keys.get(3).toUpperCase());

    // Stored as the 65 bytes, beside the package's bytes.
    byte[] stored =
        jdbc.queryForObject(
            "SELECT c.bpp_euicc_otpk FROM package_content c JOIN package p"
                + " ON p.id = c.package_id WHERE p.transaction_id = ?",
            byte[].class,
            pkgs.get(0).tx().toBytes());
    assertThat(stored).isEqualTo(HEX.parseHex(keys.get(0)));
  }

  @Test
  void jsonUpload_withoutAKey_claimsWithoutOne() {
    List<Pkg> pkgs = packages(1, 100);
    assertThat(upload(unique("B"), factory, pkgs).status()).isEqualTo(201);
    Response json = claim(line, pkgs.get(0).eid());
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.json().has("bppEuiccOtpk")).isFalse();
    Response octets = claim(line, pkgs.get(0).eid(), "Accept", "application/octet-stream");
    assertThat(octets.header("X-Bpp-Euicc-Otpk")).isNull();
  }

  @Test
  void malformedKey_refusesTheWholeUpload_andStoresNothing() {
    String good = otpk();
    for (String bad :
        List.of(
            "02" + good.substring(2), // not an uncompressed point
            good.substring(0, 128), // short
            good + "00", // long
            "04" + "G".repeat(128), // not hex
            "")) {
      List<Pkg> pkgs = packages(2, 100);
      Response r = uploadBinary(pkgs, List.of(good, bad));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid-bpp-euicc-otpk");
      assertThat(r.json().get("detail").asString()).contains("packages[1].bppEuiccOtpk");
      assertThat(claim(line, pkgs.get(0).eid()).status()).isEqualTo(404);
    }
  }
}
