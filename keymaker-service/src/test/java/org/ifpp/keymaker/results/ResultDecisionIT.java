package org.ifpp.keymaker.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.ifpp.crypto.bpp.BoundProfilePackageOpener;
import org.ifpp.crypto.bpp.OpeningResult;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.keymaker.delivery.OutboxPayloads;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.ifpp.keymaker.testing.TestProfiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the Key Maker decides when one package comes back several times (the broker keeps every
 * report): false results change nothing, a verified success is final whatever came before it, and a
 * profile re-bound after an earlier failure is never delivered a second time. Real SoftHSM and
 * PostgreSQL; results pushed as the broker would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(180)
class ResultDecisionIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
    registry.add("keymaker.binding.max-attempts", () -> "3");
  }

  @Value("${local.server.port}")
  int port;

  @Autowired JdbcTemplate jdbc;
  @Autowired HsmSigner signer;

  private Api operator;

  @BeforeEach
  void setUp() {
    operator = Api.operator(port);
  }

  /** A bound, not yet delivered package of a new chip: its transactionId and ICCID. */
  private record Bound(TestChips.Chip chip, TransactionId tx, Iccid iccid, long bindingId) {}

  /** Each test its own TS.48 profile (ICCIDs are unique), chip and pool. */
  private Bound bindOne(int profile, long serial, String pool) throws Exception {
    Api.Response r =
        operator.postBytes(
            "/api/v1/profiles?pool=" + pool,
            TestProfiles.load(TestProfiles.NAMES[profile]),
            "application/octet-stream");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    TestChips.Chip chip = TestChips.chip(serial, 4);
    assertThat(
            operator
                .postJson(
                    "/api/v1/euicc-data",
                    Map.of("format", "ifpp-euicc-data/1", "euiccs", List.of(chip.filed())))
                .status())
        .isEqualTo(200);
    Api.Response bind =
        operator.postJson(
            "/api/v1/bindings", Map.of("pool", pool, "eids", List.of(chip.eid().value())));
    assertThat(bind.status()).as(bind.body()).isEqualTo(202);
    String batch = bind.json().get("batchId").asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                operator
                        .get("/api/v1/bindings/batches/" + batch)
                        .json()
                        .get("states")
                        .get("BOUND")
                        .asLong()
                    == 1);
    byte[] bpp = payloadOf(chip);
    X509Certificate cert = signer.certificateChain()[0];
    try (OpeningResult.Installed opened =
        (OpeningResult.Installed) BoundProfilePackageOpener.open(bpp, cert, chip.euicc())) {
      long id =
          jdbc.queryForObject(
              "select id from bindings where transaction_id = ?",
              Long.class,
              (Object) opened.txId().toBytes());
      return new Bound(chip, opened.txId(), opened.iccid(), id);
    }
  }

  private byte[] payloadOf(TestChips.Chip chip) {
    return (byte[])
        jdbc.queryForList(
                "select "
                    + OutboxPayloads.PAYLOAD
                    + " as payload from "
                    + OutboxPayloads.FROM
                    + " where o.eid = ? order by o.id",
                chip.eid().value())
            .get(0)
            .get("payload");
  }

  private String push(TransactionId tx, byte[] pir) {
    return pushAll(List.of(item(tx.toHex(), null, pir))).get(0);
  }

  /** One result as a reporter sends it (a null EID is left out). */
  private static Map<String, Object> item(String tx, String eid, byte[] pir) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("transactionId", tx);
    if (eid != null) {
      m.put("eid", eid);
    }
    m.put("profileInstallationResult", Base64.getEncoder().encodeToString(pir));
    return m;
  }

  /** Pushes one page of results: each item's {@code outcome/code}, in order. */
  private List<String> pushAll(List<Map<String, Object>> items) {
    Api.Response r = Api.broker(port).postJson("/api/v1/results", Map.of("results", items));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> out = new java.util.ArrayList<>();
    r.json()
        .get("results")
        .forEach(i -> out.add(i.get("outcome").asText() + "/" + i.get("code").asText()));
    return out;
  }

  private String bindingState(long id) {
    return jdbc.queryForObject("select state from bindings where id = ?", String.class, id);
  }

  private String profileState(Iccid iccid) {
    return jdbc.queryForObject(
        "select state from profiles where iccid = ?", String.class, iccid.value());
  }

  private List<String> audit(String... subjects) {
    return jdbc.queryForList(
        "select action || ' ' || subject from audit_log where subject = any(?) order by seq",
        String.class,
        (Object) subjects);
  }

  @Test
  void unreadableIdsInAPage_areRefusedEachOnItsOwn_andTheRestOfThePageInstalls() throws Exception {
    Bound b = bindOne(2, 9131, "decide-unreadable");
    byte[] pir = b.chip().success(b.tx(), b.iccid());
    assertThat(
            pushAll(
                List.of(
                    item("not-hex", null, pir),
                    item(b.tx().toHex(), "1234", pir),
                    item(b.tx().toHex(), b.chip().eid().value(), pir))))
        .containsExactly("REJECTED/invalid-transaction-id", "REJECTED/invalid-eid", "INSTALLED/ok");
    assertThat(bindingState(b.bindingId())).isEqualTo("INSTALLED");
    assertThat(audit("not-hex", b.tx().toHex()))
        .containsExactly(
            "RESULT_REJECTED not-hex",
            "RESULT_REJECTED " + b.tx().toHex(),
            "RESULT_INSTALLED " + b.tx().toHex());
  }

  @Test
  void falseResultsFirst_areRejectedAndChangeNothing_thenTheGenuineSuccessInstalls()
      throws Exception {
    Bound b = bindOne(0, 9101, "decide-false");
    // Another chip's signed refusal reported for this transaction (the clone attempt), and the
    // genuine success with one signature byte flipped.
    TestChips.Chip other = TestChips.chip(9102, 1);
    byte[] flipped = b.chip().success(b.tx(), b.iccid());
    flipped[flipped.length - 1] ^= 0x01;
    assertThat(push(b.tx(), other.failure(b.tx()))).isEqualTo("REJECTED/invalid-result");
    assertThat(push(b.tx(), flipped)).isEqualTo("REJECTED/invalid-result");
    assertThat(bindingState(b.bindingId())).isEqualTo("BOUND");
    assertThat(profileState(b.iccid())).isEqualTo("ALLOCATED");

    assertThat(push(b.tx(), b.chip().success(b.tx(), b.iccid()))).isEqualTo("INSTALLED/ok");
    assertThat(bindingState(b.bindingId())).isEqualTo("INSTALLED");
    assertThat(profileState(b.iccid())).isEqualTo("INSTALLED");
    assertThat(audit(b.tx().toHex()))
        .containsExactly(
            "RESULT_REJECTED " + b.tx().toHex(),
            "RESULT_REJECTED " + b.tx().toHex(),
            "RESULT_INSTALLED " + b.tx().toHex());
    assertThat(operator.get("/api/v1/audit/verify").json().get("intact").asBoolean()).isTrue();
  }

  @Test
  void failureFirst_thenTheGenuineSuccess_installs_andTheRebindingIsNeverDelivered()
      throws Exception {
    Bound b = bindOne(1, 9201, "decide-failure-first");
    assertThat(push(b.tx(), b.chip().failure(b.tx())))
        .startsWith("FAILED_REBINDING/INSTALL_FAILED");
    // The profile is re-bound to another key of the same chip; its package waits in the outbox.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "BOUND"
                    .equals(
                        jdbc
                            .queryForList(
                                "select state from bindings where previous_binding_id = ?",
                                String.class,
                                b.bindingId())
                            .stream()
                            .findFirst()
                            .orElse("")));
    long spare =
        jdbc.queryForObject(
            "select id from bindings where previous_binding_id = ?", Long.class, b.bindingId());

    // The chip had installed it after all: its signed success is final.
    assertThat(push(b.tx(), b.chip().success(b.tx(), b.iccid()))).isEqualTo("INSTALLED/ok");
    assertThat(bindingState(b.bindingId())).isEqualTo("INSTALLED");
    assertThat(profileState(b.iccid())).isEqualTo("INSTALLED");
    assertThat(bindingState(spare)).isEqualTo("ABANDONED");
    assertThat(
            jdbc.queryForObject(
                "select result_code from bindings where id = ?", String.class, spare))
        .isEqualTo("superseded");
    // Only the first package of the profile was ever deliverable.
    assertThat(
            jdbc.queryForList(
                "select o.state from outbox o join bindings b on b.id = o.binding_id"
                    + " where o.iccid = ? order by o.id",
                String.class,
                b.iccid().value()))
        .containsExactly("PENDING", "WITHDRAWN");
    // And a failure after it (a repeat of the refusal) changes nothing.
    assertThat(push(b.tx(), b.chip().failure(b.tx()))).isEqualTo("DUPLICATE/INSTALLED");
    assertThat(profileState(b.iccid())).isEqualTo("INSTALLED");
    assertThat(audit(b.tx().toHex(), Long.toString(b.bindingId()), Long.toString(spare)))
        .containsExactly(
            "RESULT_FAILED " + b.tx().toHex(),
            "BINDING_REPLANNED " + b.bindingId(),
            "BINDING_SUPERSEDED " + spare,
            "RESULT_INSTALLED " + b.tx().toHex());
    assertThat(operator.get("/api/v1/audit/verify").json().get("intact").asBoolean()).isTrue();
  }
}
