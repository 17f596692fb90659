package org.ifpp.keymaker.euiccs;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.SignedOneTimePublicKey;
import org.ifpp.keymaker.testing.Api;
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

/**
 * eUICC data import through the API (DPFF10, docs/euicc-data-format.md section 4): each chip is
 * accepted or rejected on its own with its code, nothing of a rejected chip is stored, a chip or a
 * key imported before is refused the second time, and an import leaves one audit record that
 * commits to what it stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class EuiccDataImportIT {

  private static final SecureRandom RANDOM = new SecureRandom();

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  @Autowired JdbcTemplate jdbc;

  private JsonNode importChips(List<Map<String, String>> filed) {
    Api.Response r =
        Api.operator(port)
            .postJson("/api/v1/euicc-data", Map.of("format", "ifpp-euicc-data/1", "euiccs", filed));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static Map<String, String> filed(String eid, byte[] der) {
    return Map.of("eid", eid, "data", Base64.getEncoder().encodeToString(der));
  }

  /** The chip's record with key {@code bad}'s signature replaced by another valid-looking one. */
  private static byte[] withBadSignature(TestChips.Chip chip, int bad) {
    EuiccData d =
        ((org.ifpp.crypto.euiccdata.EuiccDataParseResult.Parsed) EuiccData.parse(chip.euiccData()))
            .data();
    List<SignedOneTimePublicKey> keys = new ArrayList<>();
    for (SignedOneTimePublicKey k : d.oneTimeKeys()) {
      byte[] sig = k.signature();
      if (k.keyIndex() == bad) {
        sig[63] ^= 1;
      }
      keys.add(SignedOneTimePublicKey.of(k.keyIndex(), k.publicKey(), sig));
    }
    return EuiccData.of(d.eid(), d.euiccCertificate(), d.eumCertificate(), keys).encode();
  }

  private long stored(String eid) {
    return jdbc.queryForObject("select count(*) from euiccs where eid = ?", Long.class, eid);
  }

  private long storedKeys(EcPublicKey key) {
    return jdbc.queryForObject(
        "select count(*) from one_time_keys where public_key = ?",
        Long.class,
        key.toUncompressed());
  }

  @Test
  void mixedRequest_eachChipOnItsOwn_andNothingOfARejectedChipIsStored() {
    TestChips.Chip good = TestChips.chip(900_001, 3);
    TestChips.Chip badSignature = TestChips.chip(900_002, 3);
    TestChips.Chip misfiled = TestChips.chip(900_003, 2);
    TestChips.Chip other = TestChips.chip(900_004, 2);
    TestChips.Chip last = TestChips.chip(900_005, 4);

    JsonNode r =
        importChips(
            List.of(
                good.filed(),
                filed(badSignature.eid().value(), withBadSignature(badSignature, 1)),
                good.filed(),
                Map.of("eid", other.eid().value(), "data", "not base64!"),
                filed(other.eid().value(), misfiled.euiccData()),
                last.filed()));

    assertThat(r.get("accepted").asInt()).isEqualTo(2);
    assertThat(r.get("rejected").asInt()).isEqualTo(4);
    JsonNode results = r.get("results");
    assertThat(results.get(0).get("status").asText()).isEqualTo("ACCEPTED");
    assertThat(results.get(0).get("oneTimeKeys").asInt()).isEqualTo(3);
    assertThat(results.get(1).get("code").asText()).isEqualTo("ONE_TIME_KEY_BAD_SIGNATURE");
    assertThat(results.get(1).get("keyIndex").asInt()).isEqualTo(1);
    assertThat(results.get(1).get("eid").asText()).isEqualTo(badSignature.eid().value());
    assertThat(results.get(2).get("code").asText()).isEqualTo("DUPLICATE_EID");
    assertThat(results.get(3).get("code").asText()).isEqualTo("MALFORMED");
    assertThat(results.get(4).get("code").asText()).isEqualTo("EID_MISMATCH");
    assertThat(results.get(5).get("status").asText()).isEqualTo("ACCEPTED");

    assertThat(stored(good.eid().value())).isEqualTo(1);
    assertThat(stored(last.eid().value())).isEqualTo(1);
    assertThat(stored(badSignature.eid().value())).isZero();
    assertThat(stored(misfiled.eid().value())).isZero();
    assertThat(stored(other.eid().value())).isZero();
    assertThat(storedKeys(badSignature.euicc().oneTimeKey(0))).isZero();
    assertThat(storedKeys(misfiled.euicc().oneTimeKey(0))).isZero();
    assertThat(storedKeys(last.euicc().oneTimeKey(3))).isEqualTo(1);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from one_time_keys k join euiccs e on e.id = k.euicc_id"
                    + " where e.eid = ? and k.state = 'AVAILABLE'",
                Long.class,
                good.eid().value()))
        .isEqualTo(3);
  }

  @Test
  void anImport_leavesOneAuditRecord_whoseDigestIsRecomputedFromTheStoredRows() {
    long before = jdbc.queryForObject("select count(*) from audit_log", Long.class);
    List<Map<String, String>> filed = new ArrayList<>();
    List<String> eids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TestChips.Chip chip = TestChips.chip(900_201 + i, 3);
      filed.add(chip.filed());
      eids.add(chip.eid().value());
    }
    assertThat(importChips(filed).get("accepted").asInt()).isEqualTo(5);

    List<Map<String, Object>> audit =
        jdbc.queryForList("select action, subject, details from audit_log where seq > ?", before);
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("action")).isEqualTo("EUICC_DATA_IMPORTED");
    assertThat(audit.get(0).get("subject")).isEqualTo(eids.get(0));
    String details = (String) audit.get(0).get("details");
    assertThat(details).contains("6:eUICCs;1:5;").contains("11:oneTimeKeys;2:15;");

    // The auditor's side: the same digest from the rows of these chips, in import order.
    List<EuiccRegistry.VerifiedEuicc> stored = new ArrayList<>();
    for (String eid : eids) {
      Map<String, Object> row =
          jdbc.queryForMap(
              "select id, curve, euicc_certificate, eum_certificate from euiccs where eid = ?",
              eid);
      List<EuiccRegistry.IndexedKey> keys =
          jdbc.query(
              "select key_index, public_key from one_time_keys where euicc_id = ?"
                  + " order by key_index",
              (rs, n) ->
                  new EuiccRegistry.IndexedKey(
                      rs.getInt(1),
                      EcPublicKey.fromUncompressed(
                          org.ifpp.crypto.ec.Curve.valueOf((String) row.get("curve")),
                          rs.getBytes(2))),
              row.get("id"));
      stored.add(
          new EuiccRegistry.VerifiedEuicc(
              org.ifpp.crypto.ids.Eid.of(eid),
              org.ifpp.crypto.ec.Curve.valueOf((String) row.get("curve")),
              (byte[]) row.get("euicc_certificate"),
              (byte[]) row.get("eum_certificate"),
              keys,
              null));
    }
    assertThat(details)
        .contains("6:sha256;64:" + HexFormat.of().formatHex(EuiccRegistry.digest(stored)) + ";");
  }

  @Test
  void sameChipTwice_isRefusedTheSecondTime_andTheOthersAreStored() {
    TestChips.Chip first = TestChips.chip(900_101, 2);
    assertThat(importChips(List.of(first.filed())).get("accepted").asInt()).isEqualTo(1);

    TestChips.Chip fresh = TestChips.chip(900_102, 2);
    // A new chip that reuses a one-time key of the first: its own signature is valid.
    TestChips.Chip thief = TestChips.chip(900_103, 2);
    byte[] stolen =
        EuiccData.produce(
                thief.eid(),
                thief.certificate().certificateDer(),
                TestChips.EUM.certificateDer(),
                List.of(thief.euicc().oneTimeKey(0), first.euicc().oneTimeKey(1)),
                thief.signer())
            .encode();
    JsonNode r =
        importChips(List.of(first.filed(), fresh.filed(), filed(thief.eid().value(), stolen)));

    JsonNode results = r.get("results");
    assertThat(results.get(0).get("status").asText()).isEqualTo("REJECTED");
    assertThat(results.get(0).get("code").asText()).isEqualTo("DUPLICATE_EID");
    assertThat(results.get(0).get("detail").asText()).isEqualTo("this EID was imported before");
    assertThat(results.get(1).get("status").asText()).isEqualTo("ACCEPTED");
    assertThat(results.get(2).get("code").asText()).isEqualTo("DUPLICATE_ONE_TIME_KEY");
    assertThat(stored(first.eid().value())).isEqualTo(1);
    assertThat(stored(fresh.eid().value())).isEqualTo(1);
    assertThat(stored(thief.eid().value())).isZero();
    assertThat(storedKeys(thief.euicc().oneTimeKey(0))).isZero();
    assertThat(storedKeys(first.euicc().oneTimeKey(1))).isEqualTo(1);
  }

  /**
   * A request longer than the import's chunks (stored chunk by chunk as they are verified, in one
   * transaction): the answers are those of request order across chunks, and one audit record covers
   * the request.
   */
  @Test
  void aRequestOfSeveralChunks_answersInRequestOrder_andStoresOnlyTheAcceptedChips() {
    int n = 2 * EuiccDataService.CHUNK + 60;
    TestChips.Chip before = TestChips.chip(900_300, 1);
    assertThat(importChips(List.of(before.filed())).get("accepted").asInt()).isEqualTo(1);
    List<TestChips.Chip> chips = new ArrayList<>();
    List<Map<String, String>> filed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TestChips.Chip chip = TestChips.chip(900_301 + i, 1);
      chips.add(chip);
      filed.add(chip.filed());
    }
    int repeatedEid = EuiccDataService.CHUNK + 50; // repeats chip 10, in the second chunk
    filed.set(repeatedEid, chips.get(10).filed());
    int importedBefore = EuiccDataService.CHUNK + 20;
    filed.set(importedBefore, before.filed());
    TestChips.Chip thief = chips.get(2 * EuiccDataService.CHUNK + 30);
    filed.set( // the third chunk reuses a key of the first
        2 * EuiccDataService.CHUNK + 30,
        filed(
            thief.eid().value(),
            EuiccData.produce(
                    thief.eid(),
                    thief.certificate().certificateDer(),
                    TestChips.EUM.certificateDer(),
                    List.of(chips.get(30).euicc().oneTimeKey(0)),
                    thief.signer())
                .encode()));
    int badSignature = n - 1;
    filed.set(
        badSignature, filed(chips.get(n - 1).eid().value(), withBadSignature(chips.get(n - 1), 0)));
    long audits = jdbc.queryForObject("select coalesce(max(seq), 0) from audit_log", Long.class);

    JsonNode r = importChips(filed);

    assertThat(r.get("accepted").asInt()).isEqualTo(n - 4);
    assertThat(r.get("rejected").asInt()).isEqualTo(4);
    JsonNode results = r.get("results");
    assertThat(results.get(repeatedEid).get("code").asText()).isEqualTo("DUPLICATE_EID");
    assertThat(results.get(repeatedEid).get("detail").asText())
        .isEqualTo("EID repeats in the request");
    assertThat(results.get(importedBefore).get("code").asText()).isEqualTo("DUPLICATE_EID");
    assertThat(results.get(importedBefore).get("detail").asText())
        .isEqualTo("this EID was imported before");
    assertThat(results.get(2 * EuiccDataService.CHUNK + 30).get("code").asText())
        .isEqualTo("DUPLICATE_ONE_TIME_KEY");
    assertThat(results.get(badSignature).get("code").asText())
        .isEqualTo("ONE_TIME_KEY_BAD_SIGNATURE");
    for (int i = 0; i < n; i++) {
      JsonNode result = results.get(i);
      if (i == repeatedEid
          || i == importedBefore
          || i == 2 * EuiccDataService.CHUNK + 30
          || i == badSignature) {
        assertThat(result.get("status").asText()).isEqualTo("REJECTED");
        continue;
      }
      assertThat(result.get("status").asText()).as("chip %d", i).isEqualTo("ACCEPTED");
      assertThat(result.get("eid").asText()).isEqualTo(chips.get(i).eid().value());
      assertThat(stored(chips.get(i).eid().value())).isEqualTo(1);
    }
    assertThat(stored(chips.get(repeatedEid).eid().value())).isZero();
    assertThat(stored(thief.eid().value())).isZero();
    assertThat(stored(chips.get(badSignature).eid().value())).isZero();
    assertThat(storedKeys(chips.get(30).euicc().oneTimeKey(0))).isEqualTo(1);
    // one record for the stored chips, one for the rejected ones (the import history)
    assertThat(
            jdbc.queryForList(
                "select action from audit_log where seq > ? order by seq", String.class, audits))
        .containsExactly("EUICC_DATA_IMPORTED", "EUICC_DATA_REJECTED");
  }
}
