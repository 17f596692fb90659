package org.ifpp.keymaker.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.BrokerStub;
import org.ifpp.keymaker.testing.OperatorSteps;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An order from creation to the operator's report, with a real SoftHSM token and PostgreSQL: bulk
 * binding under the order, a loading report with a signed success, a signed failure, a forged
 * success and devices without a result, reconciliation, the report verified with the Key Maker's
 * certificate, and the re-binding rule for a profile that never reported.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class LoadingReportIT {

  static final BrokerStub BROKER = BrokerStub.start();

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
    BROKER.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  @Autowired HsmSigner signer;
  @Autowired JdbcTemplate jdbc;

  @Test
  void orderFromCreationToTheSignedOperatorReport() throws Exception {
    Api api = Api.operator(port);
    Api broker = Api.broker(port);
    OperatorSteps.importProfiles(api, "rep", 8_200_000L, 6);
    List<TestChips.Chip> chips = new ArrayList<>();
    for (int serial = 1; serial <= 5; serial++) {
      chips.add(TestChips.chip(700 + serial, 3));
    }
    OperatorSteps.importChips(api, chips);
    List<String> eids = chips.stream().limit(4).map(c -> c.eid().value()).toList();

    String order = OperatorSteps.createOrder(api, "rep", eids);
    OperatorSteps.bindAndAwait(api, order, 4);
    Map<String, JsonNode> devices = OperatorSteps.devicesByEid(api, order);
    TransactionId[] tx = new TransactionId[4];
    for (int i = 0; i < 4; i++) {
      tx[i] = TransactionId.fromHex(devices.get(eids.get(i)).get("transactionId").asText());
    }
    Iccid iccid0 = Iccid.of(devices.get(eids.get(0)).get("iccid").asText());
    TestChips.Chip impostor = TestChips.chip(799, 1);

    List<Map<String, Object>> entries = new ArrayList<>();
    entries.add(signed(eids.get(0), "INSTALLED", tx[0], chips.get(0).success(tx[0], iccid0)));
    entries.add(signed(eids.get(1), "FAILED", tx[1], chips.get(1).failure(tx[1])));
    entries.add(Map.of("eid", eids.get(2), "outcome", "NO_RESULT", "reason", "UNREACHABLE"));
    // The factory claims a success for the fourth chip with a result another chip signed.
    Map<String, Object> forged =
        signed(eids.get(3), "INSTALLED", tx[3], impostor.success(tx[3], iccid0));

    // A report that leaves a device out is refused whole: nothing stored, nothing decided.
    Api.Response incomplete = broker.postJson("/api/v1/loading-reports", report(order, entries));
    assertThat(incomplete.status()).as(incomplete.body()).isEqualTo(422);
    assertThat(incomplete.json().get("code").asText()).isEqualTo("loading-report-incomplete");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from loading_reports where order_id = ?::uuid", Long.class, order))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from bindings b join batches t on t.id = b.batch_id"
                    + " where t.order_id = ?::uuid and b.state = 'INSTALLED'",
                Long.class,
                order))
        .isZero();
    // Only the broker's credential submits reports.
    assertThat(api.postJson("/api/v1/loading-reports", report(order, entries)).status())
        .isEqualTo(403);

    entries.add(forged);
    Api.Response received = broker.postJson("/api/v1/loading-reports", report(order, entries));
    assertThat(received.status()).as(received.body()).isEqualTo(200);
    JsonNode counts = received.json().get("entries");
    assertThat(counts.get("INSTALLED").asLong()).isEqualTo(1);
    assertThat(counts.get("FAILED_REBINDING").asLong()).isEqualTo(1);
    assertThat(counts.get("REJECTED").asLong()).isEqualTo(1);
    assertThat(counts.get("CLAIM_UNREACHABLE").asLong()).isEqualTo(1);
    assertThat(api.get("/api/v1/orders/" + order).json().get("state").asText())
        .isEqualTo("REPORTED");

    // The operator's report, verified with the Key Maker's certificate.
    Api.Response file = api.get("/api/v1/orders/" + order + "/operator-report");
    assertThat(file.status()).as(file.body()).isEqualTo(200);
    JsonNode envelope = file.json();
    assertThat(envelope.get("format").asText()).isEqualTo("ifpp-signed-operator-report/1");
    byte[] reportBytes = Base64.getDecoder().decode(envelope.get("report").asText());
    byte[] signature = Base64.getDecoder().decode(envelope.get("signature").asText());
    X509Certificate leaf =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(
                        envelope.get("certificateChain").get(0).asText().getBytes()));
    assertThat(leaf).isEqualTo(signer.certificateChain()[0]);
    assertThat(verifies(leaf, reportBytes, signature)).isTrue();
    byte[] tampered = reportBytes.clone();
    tampered[tampered.length / 2] ^= 1;
    assertThat(verifies(leaf, tampered, signature)).isFalse();

    JsonNode report = JsonMapper.builder().build().readTree(reportBytes);
    assertThat(report.get("format").asText()).isEqualTo("ifpp-operator-report/1");
    assertThat(report.get("orderId").asText()).isEqualTo(order);
    Map<String, JsonNode> byEid = new LinkedHashMap<>();
    for (JsonNode d : report.get("devices")) {
      byEid.put(d.get("eid").asText(), d);
    }
    assertThat(byEid).hasSize(4);
    JsonNode installed = byEid.get(eids.get(0));
    assertThat(installed.get("status").asText()).isEqualTo("INSTALLED");
    assertThat(installed.get("verified").asBoolean()).isTrue();
    assertThat(installed.get("iccid").asText()).isEqualTo(iccid0.value());
    JsonNode failed = byEid.get(eids.get(1));
    assertThat(failed.get("status").asText()).isEqualTo("REBINDING");
    assertThat(failed.get("attempts").asInt()).isEqualTo(2);
    JsonNode unreachable = byEid.get(eids.get(2));
    assertThat(unreachable.get("status").asText()).isEqualTo("AWAITING_RESULT");
    assertThat(unreachable.get("verified").asBoolean()).isFalse();
    assertThat(unreachable.get("factoryClaim").get("reason").asText()).isEqualTo("UNREACHABLE");
    JsonNode claimed = byEid.get(eids.get(3));
    assertThat(claimed.get("status").asText()).isEqualTo("AWAITING_RESULT");
    assertThat(claimed.get("verified").asBoolean()).isFalse();
    assertThat(claimed.get("factoryClaim").get("outcome").asText()).isEqualTo("INSTALLED");
    assertThat(claimed.get("factoryClaim").get("check").asText()).isEqualTo("REJECTED");

    // The rule (docs/rules.md section 8): the profile that never reported stays with its chip. It
    // cannot be bound to another chip, and giving its package up re-binds it to the same chip.
    String silentIccid = unreachable.get("iccid").asText();
    Api.Response elsewhere =
        api.postJson(
            "/api/v1/bindings",
            Map.of(
                "pairs", List.of(Map.of("iccid", silentIccid, "eid", chips.get(4).eid().value()))));
    assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(409);
    assertThat(elsewhere.json().get("code").asText()).isEqualTo("profile-not-available");
    Api.Response abandoned =
        api.postJson("/api/v1/bindings/" + tx[2].toHex() + "/abandon", Map.of());
    assertThat(abandoned.status()).as(abandoned.body()).isEqualTo(200);
    assertThat(abandoned.json().get("rebinding").asBoolean()).isTrue();
    assertThat(
            jdbc.queryForList(
                "select distinct e.eid from bindings b join profiles p on p.id = b.profile_id"
                    + " join euiccs e on e.id = b.euicc_id where p.iccid = ?",
                String.class,
                silentIccid))
        .containsExactly(eids.get(2));
    Api.Response verified = api.get("/api/v1/audit/verify");
    assertThat(verified.json().get("intact").asBoolean()).as(verified.body()).isTrue();
  }

  @Test
  void aReportPulledFromTheBroker_isReconciled_andAnotherFactorysIsRefused() throws Exception {
    Api api = Api.operator(port);
    OperatorSteps.importProfiles(api, "pull", 8_300_000L, 2);
    List<TestChips.Chip> chips = List.of(TestChips.chip(721, 2), TestChips.chip(722, 2));
    OperatorSteps.importChips(api, chips);
    List<String> eids = chips.stream().map(c -> c.eid().value()).toList();
    String order = OperatorSteps.createOrder(api, "pull", eids);
    OperatorSteps.bindAndAwait(api, order, 2);
    JsonNode first = api.get("/api/v1/orders/" + order + "/devices").json().get(0);
    TransactionId tx = TransactionId.fromHex(first.get("transactionId").asText());
    TestChips.Chip chip = chips.get(eids.indexOf(first.get("eid").asText()));
    String other = eids.get(1 - eids.indexOf(first.get("eid").asText()));
    List<Map<String, Object>> entries =
        List.of(
            signed(
                chip.eid().value(),
                "INSTALLED",
                tx,
                chip.success(tx, Iccid.of(first.get("iccid").asText()))),
            Map.of("eid", other, "outcome", "NO_RESULT", "reason", "REMOVED"));
    String json = JsonMapper.builder().build().writeValueAsString(report(order, entries));
    // Not a report at all: refused on its own, the reports after it still pulled.
    BROKER.addLoadingReport("factory-1", order, "{\"devices\": {\"eid\": 5}}");
    BROKER.addLoadingReport("elsewhere", order, json);
    BROKER.addLoadingReport("factory-1", order, json);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> api.get("/api/v1/orders/" + order).json().get("state").asText(),
            "REPORTED"::equals);
    assertThat(
            jdbc.queryForList(
                "select details from audit_log where action = 'LOADING_REPORT_REFUSED'"
                    + " and subject = ?",
                String.class,
                order))
        .hasSize(2)
        .anySatisfy(d -> assertThat(d).contains("invalid-loading-report"))
        .anySatisfy(d -> assertThat(d).contains("report-from-other-factory"));
    JsonNode devices = api.get("/api/v1/orders/" + order).json().get("devices");
    assertThat(devices.get("INSTALLED").asLong()).isEqualTo(1);
    assertThat(devices.get("BOUND").asLong()).isEqualTo(1);
  }

  @Test
  void aChipInTwoOrders_eachOrdersReportTakesOnlyItsOwnBindingsResults() throws Exception {
    Api api = Api.operator(port);
    Api broker = Api.broker(port);
    OperatorSteps.importProfiles(api, "two-orders", 8_400_000L, 2);
    TestChips.Chip chip = TestChips.chip(731, 3);
    OperatorSteps.importChips(api, List.of(chip));
    String eid = chip.eid().value();
    String[] orders = new String[2];
    TransactionId[] tx = new TransactionId[2];
    Iccid[] iccid = new Iccid[2];
    for (int i = 0; i < 2; i++) {
      String order = OperatorSteps.createOrder(api, "two-orders", List.of(eid));
      orders[i] = order;
      OperatorSteps.bindAndAwait(api, order, 1);
      JsonNode device = api.get("/api/v1/orders/" + order + "/devices").json().get(0);
      tx[i] = TransactionId.fromHex(device.get("transactionId").asText());
      iccid[i] = Iccid.of(device.get("iccid").asText());
    }
    // The second order's report carries the chip's signed failure of the first order's binding
    // (a line's journal holds both): not this order's, so rejected unchecked; it decides nothing.
    Api.Response wrong =
        broker.postJson(
            "/api/v1/loading-reports",
            report(orders[1], List.of(signed(eid, "FAILED", tx[0], chip.failure(tx[0])))));
    assertThat(wrong.status()).as(wrong.body()).isEqualTo(200);
    assertThat(wrong.json().get("entries").get("REJECTED").asLong()).isEqualTo(1);
    assertThat(wrong.json().get("entries").has("FAILED_REBINDING")).isFalse();
    assertThat(
            jdbc.queryForList(
                "select b.state from bindings b where b.transaction_id in (?, ?) order by b.id",
                String.class,
                tx[0].toBytes(),
                tx[1].toBytes()))
        .containsExactly("BOUND", "BOUND");
    assertThat(
            jdbc.queryForObject(
                "select e.verification || ' ' || e.code from loading_report_entries e"
                    + " join loading_reports r on r.id = e.report_id where r.order_id = ?::uuid",
                String.class,
                orders[1]))
        .isEqualTo("REJECTED " + LoadingReportService.NOT_IN_ORDER);

    // The same failure in the first order's report is that order's, and is taken.
    Api.Response own =
        broker.postJson(
            "/api/v1/loading-reports",
            report(orders[0], List.of(signed(eid, "FAILED", tx[0], chip.failure(tx[0])))));
    assertThat(own.json().get("entries").get("FAILED_REBINDING").asLong()).isEqualTo(1);
    // And the second order's own success is taken in its next report.
    Api.Response second =
        broker.postJson(
            "/api/v1/loading-reports",
            report(
                orders[1],
                List.of(signed(eid, "INSTALLED", tx[1], chip.success(tx[1], iccid[1])))));
    assertThat(second.json().get("entries").get("INSTALLED").asLong())
        .as(second.body())
        .isEqualTo(1);
  }

  private static Map<String, Object> signed(
      String eid, String outcome, TransactionId tx, byte[] pir) {
    return Map.of(
        "eid",
        eid,
        "outcome",
        outcome,
        "transactionId",
        tx.toHex(),
        "profileInstallationResult",
        Base64.getEncoder().encodeToString(pir));
  }

  private static Map<String, Object> report(String order, List<Map<String, Object>> entries) {
    return Map.of("format", "ifpp-loading-report/1", "orderId", order, "devices", entries);
  }

  private static boolean verifies(X509Certificate cert, byte[] data, byte[] signature)
      throws Exception {
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(cert.getPublicKey());
    v.update(data);
    return v.verify(signature);
  }
}
