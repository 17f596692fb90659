package org.ifpp.keymaker.finalisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ifpp.crypto.finalisation.FinalisationReceipt;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.BrokerStub;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.ifpp.keymaker.testing.TestProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The chips' finalisation receipts in the Key Maker: verified with each chip's CERT.EUICC, every
 * bad receipt refused with its code, audited, and stored nowhere; the batch view shows which chips
 * proved their finalisation. Real PostgreSQL and SoftHSM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(180)
class FinalisationReceiptsIT {

  static final BrokerStub BROKER = BrokerStub.start();

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
    BROKER.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  @Autowired JdbcTemplate jdbc;

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static Map<String, Object> file(List<Map<String, String>> receipts) {
    return Map.of("format", "ifpp-finalisation-receipts/1", "receipts", receipts);
  }

  static Map<String, String> item(String eid, byte[] receipt) {
    Map<String, String> m = new HashMap<>();
    m.put("eid", eid);
    m.put("receipt", b64(receipt));
    return m;
  }

  @Test
  void receipts_areVerifiedWithTheChipsCertificate_badOnesRefusedWithACode_andAudited()
      throws Exception {
    Api operator = Api.operator(port);
    TestChips.Chip a = TestChips.chip(810_001, 2);
    TestChips.Chip b = TestChips.chip(810_002, 2);
    TestChips.Chip stranger = TestChips.chip(810_003, 2); // never imported
    assertThat(
            operator
                .postJson(
                    "/api/v1/euicc-data",
                    Map.of("format", "ifpp-euicc-data/1", "euiccs", List.of(a.filed(), b.filed())))
                .status())
        .isEqualTo(200);
    assertThat(
            operator
                .postBytes(
                    "/api/v1/profiles?pool=fin",
                    TestProfiles.load(TestProfiles.NAMES[0]),
                    "application/octet-stream")
                .status())
        .isEqualTo(201);
    Api.Response bind =
        operator.postJson(
            "/api/v1/bindings", Map.of("pool", "fin", "eids", List.of(a.eid().value())));
    assertThat(bind.status()).as(bind.body()).isEqualTo(202);
    String batch = bind.json().get("batchId").asText();

    byte[] good = new FinalisationReceipt(a.eid(), 5, 1, true).sign(a.signer()).encoded();
    byte[] signedByB = new FinalisationReceipt(a.eid(), 6, 1, true).sign(b.signer()).encoded();
    byte[] tampered = good.clone();
    tampered[tampered.length - 1] ^= 1;
    byte[] notLocked = new FinalisationReceipt(b.eid(), 1, 0, false).sign(b.signer()).encoded();
    byte[] unknown =
        new FinalisationReceipt(stranger.eid(), 1, 2, true).sign(stranger.signer()).encoded();

    Api.Response r =
        operator.postJson(
            "/api/v1/finalisation-receipts",
            file(
                List.of(
                    item(a.eid().value(), signedByB),
                    item(a.eid().value(), tampered),
                    item(b.eid().value(), good),
                    item(b.eid().value(), notLocked),
                    item(null, unknown),
                    item(a.eid().value(), new byte[] {1, 2}),
                    item(a.eid().value(), good),
                    item(a.eid().value(), good))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode out = r.json().get("receipts");
    assertThat(out.findValuesAsString("code").subList(0, 6))
        .containsExactly(
            "receipt-signature-invalid",
            "receipt-signature-invalid",
            "receipt-eid-mismatch",
            "receipt-ifpp-not-locked",
            "receipt-unknown-eid",
            "receipt-malformed");
    assertThat(out.get(6).get("outcome").asString()).isEqualTo("ACCEPTED");
    assertThat(out.get(7).get("outcome").asString()).isEqualTo("DUPLICATE");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from finalisation_receipts f join euiccs e on e.id = f.euicc_id"
                    + " where e.eid in (?, ?)",
                Long.class,
                a.eid().value(),
                b.eid().value()))
        .isEqualTo(1L);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_log where action = 'FINALISATION_RECEIPT_REJECTED'",
                Long.class))
        .isGreaterThanOrEqualTo(6L);

    JsonNode chipA = operator.get("/api/v1/euiccs/" + a.eid().value() + "/finalisation").json();
    assertThat(chipA.get("finalised").asBoolean()).isTrue();
    assertThat(chipA.get("counter").asLong()).isEqualTo(5);
    JsonNode chipB = operator.get("/api/v1/euiccs/" + b.eid().value() + "/finalisation").json();
    assertThat(chipB.get("finalised").asBoolean()).isFalse();
    JsonNode ofBatch = operator.get("/api/v1/bindings/batches/" + batch + "/finalisation").json();
    assertThat(ofBatch.get("chips").asInt()).isEqualTo(1);
    assertThat(ofBatch.get("finalised").asLong()).isEqualTo(1);
    assertThat(ofBatch.get("notFinalised")).isEmpty();
  }

  @Test
  void receiptsALineReportedToTheBroker_arePulledAndVerified() {
    Api operator = Api.operator(port);
    TestChips.Chip c = TestChips.chip(810_004, 2);
    assertThat(
            operator
                .postJson(
                    "/api/v1/euicc-data",
                    Map.of("format", "ifpp-euicc-data/1", "euiccs", List.of(c.filed())))
                .status())
        .isEqualTo(200);
    TestChips.Chip other = TestChips.chip(810_005, 2);
    BROKER.addReceipt(
        c.eid().value(),
        b64(new FinalisationReceipt(c.eid(), 8, 2, true).sign(other.signer()).encoded()));
    BROKER.addReceipt(
        c.eid().value(),
        b64(new FinalisationReceipt(c.eid(), 9, 2, true).sign(c.signer()).encoded()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                operator
                    .get("/api/v1/euiccs/" + c.eid().value() + "/finalisation")
                    .json()
                    .get("finalised")
                    .asBoolean());
    JsonNode chip = operator.get("/api/v1/euiccs/" + c.eid().value() + "/finalisation").json();
    assertThat(chip.get("counter").asLong()).isEqualTo(9);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_log where action = 'FINALISATION_RECEIPT_REJECTED'"
                    + " and subject = ?",
                Long.class,
                c.eid().value()))
        .isEqualTo(1L);
  }

  @Test
  void theOrderView_countsChipsFinalisedRefusedAndNotFinalised_andNamesThem() {
    Api operator = Api.operator(port);
    TestChips.Chip done = TestChips.chip(810_011, 2);
    TestChips.Chip refused = TestChips.chip(810_012, 2);
    TestChips.Chip silent = TestChips.chip(810_013, 2);
    TestChips.Chip refusedThenDone = TestChips.chip(810_014, 2);
    List<TestChips.Chip> chips = List.of(done, refused, silent, refusedThenDone);
    assertThat(
            operator
                .postJson(
                    "/api/v1/euicc-data",
                    Map.of(
                        "format",
                        "ifpp-euicc-data/1",
                        "euiccs",
                        chips.stream().map(TestChips.Chip::filed).toList()))
                .status())
        .isEqualTo(200);
    Api.Response order =
        operator.postJson(
            "/api/v1/orders",
            Map.of(
                "pool",
                "fin-order",
                "factory",
                "factory-1",
                "eids",
                chips.stream().map(c -> c.eid().value()).toList()));
    assertThat(order.status()).as(order.body()).isEqualTo(201);
    String orderId = order.json().get("orderId").asText();
    Api.Response r =
        operator.postJson(
            "/api/v1/finalisation-receipts",
            file(
                List.of(
                    item(
                        done.eid().value(),
                        new FinalisationReceipt(done.eid(), 3, 1, true)
                            .sign(done.signer())
                            .encoded()),
                    item(
                        refused.eid().value(),
                        new FinalisationReceipt(refused.eid(), 3, 1, true)
                            .sign(silent.signer())
                            .encoded()),
                    item(
                        refusedThenDone.eid().value(),
                        new FinalisationReceipt(refusedThenDone.eid(), 3, 0, false)
                            .sign(refusedThenDone.signer())
                            .encoded()),
                    item(
                        refusedThenDone.eid().value(),
                        new FinalisationReceipt(refusedThenDone.eid(), 4, 0, true)
                            .sign(refusedThenDone.signer())
                            .encoded()))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);

    Api.Response view = operator.get("/api/v1/orders/" + orderId + "/finalisation");
    assertThat(view.status()).as(view.body()).isEqualTo(200);
    JsonNode v = view.json();
    assertThat(v.get("orderId").asText()).isEqualTo(orderId);
    assertThat(v.get("devices").asInt()).isEqualTo(4);
    assertThat(v.get("finalised").asLong()).isEqualTo(2);
    assertThat(v.get("refused").asLong()).isEqualTo(1);
    assertThat(v.get("notFinalised").asLong()).isEqualTo(1);
    assertThat(v.get("refusedChips").get(0).get("eid").asText()).isEqualTo(refused.eid().value());
    assertThat(v.get("refusedChips").get(0).get("code").asText())
        .isEqualTo("receipt-signature-invalid");
    assertThat(v.get("notFinalisedChips").get(0).asText()).isEqualTo(silent.eid().value());
    // Only the refusal's code is kept, never the refused receipt.
    assertThat(
            jdbc.queryForList("select * from finalisation_receipt_refusals").stream()
                .flatMap(row -> row.values().stream())
                .noneMatch(value -> value instanceof byte[]))
        .isTrue();

    Api.Response unknown =
        operator.get("/api/v1/orders/" + java.util.UUID.randomUUID() + "/finalisation");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("code").asString()).isEqualTo("unknown-order");
    Api.Response invalid = operator.get("/api/v1/orders/not-an-order/finalisation");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("code").asString()).isEqualTo("invalid-order-id");
  }

  @Test
  void wrongFormat_orNoReceipts_isA400() {
    Api operator = Api.operator(port);
    Api.Response wrong =
        operator.postJson(
            "/api/v1/finalisation-receipts", Map.of("format", "x", "receipts", List.of()));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.json().get("code").asString()).isEqualTo("unsupported-format");
    Api.Response empty = operator.postJson("/api/v1/finalisation-receipts", file(List.of()));
    assertThat(empty.json().get("code").asString()).isEqualTo("empty-receipts");
    assertThat(Api.broker(port).postJson("/api/v1/finalisation-receipts", file(List.of())).status())
        .isEqualTo(403);
  }
}
