package org.ifpp.broker.finalisation;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.crypto.finalisation.FinalisationReceipt;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The broker carries finalisation receipts from a line to the Key Maker: structure checked, each
 * receipt kept once, handed out after a cursor exactly once; only a line reports, only the Key
 * Maker reads.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class FinalisationReceiptRelayIT extends BrokerItSupport {

  static final DevelopmentCredential CHIP =
      new DevelopmentPki(Clock.systemUTC(), new SecureRandom()).createDeviceMaker("stands in");

  static byte[] receipt(Eid eid, long counter) {
    var signer =
        SoftwareSigner.fromPem(
            "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(CHIP.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n",
            new SecureRandom());
    return new FinalisationReceipt(eid, counter, 3, true).sign(signer).encoded();
  }

  static Map<String, Object> file(List<Map<String, String>> items) {
    return Map.of("format", "ifpp-finalisation-receipts/1", "receipts", items);
  }

  static Map<String, String> item(String eid, String receipt) {
    Map<String, String> m = new HashMap<>();
    m.put("eid", eid);
    m.put("receipt", receipt);
    return m;
  }

  @Test
  void lineReports_keyMakerPullsEachReceiptOnce_badOnesRefusedWithACode() {
    String line = createLine(unique("F"), "L1");
    Eid a = Eid.withCheckDigits("890490329990000000000000007001");
    Eid b = Eid.withCheckDigits("890490329990000000000000007002");
    String ra = Base64.getEncoder().encodeToString(receipt(a, 1));
    String rb = Base64.getEncoder().encodeToString(receipt(b, 1));
    Response r =
        api.post(
            "/api/v1/finalisation-receipts",
            line,
            file(
                List.of(
                    item(a.value(), ra),
                    item(a.value(), ra),
                    item(b.value(), ra),
                    item(b.value(), "@@"),
                    item(b.value(), Base64.getEncoder().encodeToString(new byte[] {1})),
                    item(b.value(), rb))));
    assertThat(r.status()).isEqualTo(200);
    JsonNode out = r.json().get("receipts");
    List<String> outcomes = new ArrayList<>();
    out.forEach(n -> outcomes.add(n.get("outcome").asString() + " " + n.path("code").asString("")));
    assertThat(outcomes)
        .containsExactly(
            "KEPT ",
            "DUPLICATE ",
            "REJECTED eid-mismatch",
            "REJECTED malformed-base64",
            "REJECTED malformed-receipt",
            "KEPT ");

    // the Key Maker's feed, in pages of one: each kept receipt exactly once, byte for byte
    List<String> seen = new ArrayList<>();
    String cursor = "";
    for (int guard = 0; guard < 10; guard++) {
      Response page =
          api.get("/api/v1/finalisation-receipts?limit=1&after=" + cursor, KEYMAKER_TOKEN);
      assertThat(page.status()).isEqualTo(200);
      page.json().get("receipts").forEach(n -> seen.add(n.get("receipt").asString()));
      cursor = page.json().get("nextCursor").asString();
      if (!page.json().get("hasMore").asBoolean()) {
        break;
      }
    }
    assertThat(seen).containsSubsequence(ra, rb).doesNotHaveDuplicates();

    // scopes: a line cannot read the feed, the Key Maker cannot report
    assertThat(api.get("/api/v1/finalisation-receipts", line).status()).isEqualTo(403);
    assertThat(
            api.post(
                    "/api/v1/finalisation-receipts",
                    KEYMAKER_TOKEN,
                    file(List.of(item(a.value(), ra))))
                .status())
        .isEqualTo(403);
  }
}
