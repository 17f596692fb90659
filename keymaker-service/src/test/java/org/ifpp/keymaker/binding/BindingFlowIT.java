package org.ifpp.keymaker.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.bpp.BoundProfilePackageOpener;
import org.ifpp.crypto.bpp.OpeningResult;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.keymaker.delivery.OutboxPayloads;
import org.ifpp.keymaker.hsm.HsmSigner;
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
 * The whole loop through the API with a real SoftHSM token and a real PostgreSQL: import the three
 * TS.48 profiles and a chip's eUICC data, bind in PPK mode, open every package with the chip's
 * one-time private keys (the engine's opener), report signed results, and see a failed install
 * re-bound to another key of the same chip.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BindingFlowIT {

  static final BrokerStub BROKER = BrokerStub.start();

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
    BROKER.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  @Autowired JdbcTemplate jdbc;
  @Autowired HsmSigner signer;

  @Test
  void importBindOpenReport_ppkMode_withTheThreeTs48Profiles() throws Exception {
    Api api = Api.operator(port);
    List<byte[]> plain = new ArrayList<>();
    for (String name : TestProfiles.NAMES) {
      byte[] der = TestProfiles.load(name);
      plain.add(der);
      Api.Response r = api.postBytes("/api/v1/profiles?pool=ts48", der, "application/octet-stream");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
    TestChips.Chip chip = TestChips.chip(1, 5);
    Api.Response imported =
        api.postJson(
            "/api/v1/euicc-data",
            Map.of("format", "ifpp-euicc-data/1", "euiccs", List.of(chip.filed())));
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertThat(imported.json().get("accepted").asInt()).isEqualTo(1);

    String eid = chip.eid().value();
    Api.Response bind =
        api.postJson("/api/v1/bindings", Map.of("pool", "ts48", "eids", List.of(eid, eid, eid)));
    assertThat(bind.status()).as(bind.body()).isEqualTo(202);
    String batch = bind.json().get("batchId").asText();
    waitForBound(api, batch, 3);

    X509Certificate bindingCert = signer.certificateChain()[0];
    List<Map<String, Object>> results = new ArrayList<>();
    TransactionId toFail = null;
    for (Map<String, Object> row : packages()) {
      byte[] bpp = (byte[]) row.get("payload");
      OpeningResult result = BoundProfilePackageOpener.open(bpp, bindingCert, chip.euicc());
      assertThat(result).isInstanceOf(OpeningResult.Installed.class);
      try (OpeningResult.Installed installed = (OpeningResult.Installed) result) {
        assertThat(installed.ppkMode()).isTrue();
        byte[] profile = installed.profile().toByteArray(SecretAccess.GRANTED);
        assertThat(plain).anySatisfy(p -> assertThat(profile).isEqualTo(p));
        if (toFail == null) {
          // This one comes back through the broker's export, pulled by the Key Maker.
          toFail = installed.txId();
          BROKER.addResult(
              installed.txId().toHex(),
              eid,
              Base64.getEncoder().encodeToString(chip.failure(installed.txId())));
          continue;
        }
        byte[] pir = chip.success(installed.txId(), installed.iccid());
        results.add(
            Map.of(
                "transactionId", installed.txId().toHex(),
                "eid", eid,
                "profileInstallationResult", Base64.getEncoder().encodeToString(pir)));
      }
    }
    assertThat(chip.euicc().unusedOneTimeKeys()).hasSize(2);

    // A result signed by another chip is rejected and changes nothing.
    TestChips.Chip impostor = TestChips.chip(2, 1);
    byte[] forged = impostor.success(toFail, org.ifpp.crypto.ids.Iccid.of("8949449999999990023"));
    Api.Response rejected =
        Api.broker(port)
            .postJson(
                "/api/v1/results",
                Map.of(
                    "results",
                    List.of(
                        Map.of(
                            "transactionId", toFail.toHex(),
                            "profileInstallationResult",
                                Base64.getEncoder().encodeToString(forged)))));
    assertThat(rejected.json().get("results").get(0).get("outcome").asText()).isEqualTo("REJECTED");

    Api.Response reported =
        Api.broker(port).postJson("/api/v1/results", Map.of("results", results));
    assertThat(reported.status()).as(reported.body()).isEqualTo(200);
    List<String> outcomes = new ArrayList<>();
    for (JsonNode n : reported.json().get("results")) {
      outcomes.add(n.get("outcome").asText());
    }
    assertThat(outcomes).containsExactlyInAnyOrder("INSTALLED", "INSTALLED");
    // The same page again, plus one unknown transaction: nothing changes, each result is answered.
    List<Map<String, Object>> page = new ArrayList<>(results);
    page.add(Map.of("transactionId", "00".repeat(16), "profileInstallationResult", "AA=="));
    Api.Response repeated = Api.broker(port).postJson("/api/v1/results", Map.of("results", page));
    List<String> repeatedOutcomes = new ArrayList<>();
    for (JsonNode n : repeated.json().get("results")) {
      repeatedOutcomes.add(n.get("outcome").asText() + "/" + n.get("code").asText());
    }
    assertThat(repeatedOutcomes)
        .containsExactly(
            "DUPLICATE/INSTALLED", "DUPLICATE/INSTALLED", "REJECTED/unknown-transaction");
    // One audit record per result, in the pages' order (the pulled failure, whose pull may come at
    // any time, apart).
    assertThat(
            jdbc.queryForList(
                "select action || ' ' || subject from audit_log"
                    + " where action in ('RESULT_INSTALLED', 'RESULT_REJECTED')"
                    + " order by seq",
                String.class))
        .containsExactly(
            "RESULT_REJECTED " + toFail.toHex(),
            "RESULT_INSTALLED " + results.get(0).get("transactionId"),
            "RESULT_INSTALLED " + results.get(1).get("transactionId"),
            "RESULT_REJECTED " + "00".repeat(16));
    // The packages reach the broker (asynchronously); the failure report is pulled from it.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> BROKER.storedCount() >= 3);
    assertThat(BROKER.storedCount()).isGreaterThanOrEqualTo(3);
    // What went over the wire is, byte for byte, a package read back from the outbox (which keeps
    // only the head of a PPK-mode package and appends the stored A3 on reading).
    List<String> fromOutbox =
        packages().stream()
            .map(r -> java.util.HexFormat.of().formatHex((byte[]) r.get("payload")))
            .toList();
    assertThat(BROKER.storedPackages().values())
        .isNotEmpty()
        .allSatisfy(b -> assertThat(fromOutbox).contains(java.util.HexFormat.of().formatHex(b)));
    // Each package went with the one-time key its binding reserved (bppEuiccOtpk), upper-case hex.
    assertThat(BROKER.storedOneTimeKeys())
        .isNotEmpty()
        .allSatisfy(
            (tx, otpk) ->
                assertThat(otpk)
                    .isEqualTo(
                        java.util.HexFormat.of()
                            .withUpperCase()
                            .formatHex(
                                jdbc.queryForObject(
                                    "select k.public_key from bindings b join one_time_keys k"
                                        + " on k.id = b.one_time_key_id where b.transaction_id = ?",
                                    byte[].class,
                                    (Object) java.util.HexFormat.of().parseHex(tx)))));

    // The pulled failure re-binds the profile to another one-time key of the same chip.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> jdbc.queryForObject("select count(*) from outbox", Long.class) >= 4);
    assertThat(BROKER.pulls()).isPositive();
    assertThat(
            jdbc.queryForObject(
                "select result_code from bindings where transaction_id = ?",
                String.class,
                (Object) toFail.toBytes()))
        .isEqualTo("INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS_ON_EUICC");
    List<Map<String, Object>> all = packages();
    assertThat(all).hasSize(4);
    byte[] rebound = (byte[]) all.get(3).get("payload");
    // The re-bound package reaches the broker naming its new key, and opens with that key alone.
    String reboundTx =
        java.util.HexFormat.of()
            .withUpperCase()
            .formatHex((byte[]) all.get(3).get("transaction_id"));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> BROKER.storedOneTimeKeys().get(reboundTx) != null);
    OpeningResult again =
        BoundProfilePackageOpener.open(
            rebound,
            bindingCert,
            org.ifpp.crypto.bpp.BppEuiccOtpk.fromHex(BROKER.storedOneTimeKeys().get(reboundTx)),
            chip.euicc());
    assertThat(again).isInstanceOf(OpeningResult.Installed.class);
    ((OpeningResult.Installed) again).close();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from profiles where state = 'INSTALLED'", Long.class))
        .isEqualTo(2);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from one_time_keys where state = 'SPENT'", Long.class))
        .isEqualTo(4);
    // Audit chain intact after all of it.
    assertThat(api.get("/api/v1/audit/verify").json().get("intact").asBoolean()).isTrue();
  }

  private List<Map<String, Object>> packages() {
    return jdbc.queryForList(
        "select o.transaction_id, "
            + OutboxPayloads.PAYLOAD
            + " as payload from "
            + OutboxPayloads.FROM
            + " order by o.id");
  }

  private static void waitForBound(Api api, String batch, int expected) throws Exception {
    Api.Response progress =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> api.get("/api/v1/bindings/batches/" + batch),
                p -> p.json().get("states").get("BOUND").asLong() >= expected);
    assertThat(progress.json().get("states").get("BOUND").asLong()).isEqualTo(expected);
  }
}
