package org.ifpp.keymaker.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.bpp.BoundProfilePackageOpener;
import org.ifpp.crypto.bpp.OpeningResult;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.keymaker.delivery.OutboxPayloads;
import org.ifpp.keymaker.profiles.PpkCodec;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.PgDump;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.ifpp.keymaker.testing.TestProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Envelope encryption of PPKs with a real SoftHSM token and a real PostgreSQL: an import stores one
 * KEK-wrapped data key for the batch and each profile's PPKs sealed under it; a profile stored in
 * the pre-envelope form (PPKs wrapped directly by the KEK) still binds; a sealed blob copied onto
 * another profile's row is refused (the profile is never bound with foreign PPKs); neither a data
 * key nor a PPK appears in the database dump or the logs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class PpkEnvelopeIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  @Value("${spring.datasource.url}")
  String url;

  @Autowired JdbcTemplate jdbc;
  @Autowired KeyEncryptionKey kek;
  @Autowired HsmSigner signer;

  @Test
  void newAndOldForms_bothBind_aSwappedBlobIsRefused_andNoKeyLeaks(CapturedOutput output)
      throws Exception {
    Api api = Api.operator(port);
    List<byte[]> plain = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String iccid = "894944" + String.format("%013d", 5_000_000L + i);
      byte[] der = TestProfiles.withIccid(TestProfiles.load(TestProfiles.NAMES[i]), iccid);
      plain.add(der.clone());
      batch.add(Base64.getEncoder().encodeToString(der));
    }
    Api.Response r = api.postJson("/api/v1/profiles", Map.of("pool", "forms", "profiles", batch));
    assertThat(r.status()).as(r.body()).isEqualTo(201);

    // One data key for the batch; every row in the new form, under it.
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "select iccid, ppk_format, ppk_data_key_id, ppk_nonce, ppk_wrapped from profiles"
                + " where pool = 'forms' order by id");
    assertThat(rows).hasSize(3);
    assertThat(rows)
        .allSatisfy(row -> assertThat(((Number) row.get("ppk_format")).intValue()).isEqualTo(2));
    UUID keyId = (UUID) rows.get(0).get("ppk_data_key_id");
    assertThat(rows).allSatisfy(row -> assertThat(row.get("ppk_data_key_id")).isEqualTo(keyId));
    Map<String, Object> keyRow =
        jdbc.queryForMap("select nonce, wrapped, kek_label from ppk_data_keys where id = ?", keyId);
    assertThat(keyRow.get("kek_label")).isEqualTo(kek.label());
    WrappedSecret wrappedKey =
        new WrappedSecret((byte[]) keyRow.get("nonce"), (byte[]) keyRow.get("wrapped"));

    // The secrets, recovered through the HSM as an auditor would, to search for them below.
    List<byte[]> secrets = new ArrayList<>();
    List<String> storedIccids = new ArrayList<>();
    try (SecretBytes keyBytes = kek.unwrap(wrappedKey, DataKey.aad(keyId));
        DataKey key = DataKey.unwrap(kek, keyId, wrappedKey)) {
      secrets.add(keyBytes.toByteArray(SecretAccess.GRANTED));
      for (Map<String, Object> row : rows) {
        String iccid = (String) row.get("iccid");
        storedIccids.add(iccid);
        WrappedSecret sealed =
            new WrappedSecret((byte[]) row.get("ppk_nonce"), (byte[]) row.get("ppk_wrapped"));
        try (SecretBytes ppks = key.open(sealed, PpkCodec.aad(iccid, keyId))) {
          secrets.add(ppks.toByteArray(SecretAccess.GRANTED));
        }
      }
    }

    // Profile 1 back in the pre-envelope form, exactly as an import before V3 stored it.
    try (SecretBytes ppks = SecretBytes.copyOf(secrets.get(2))) {
      WrappedSecret old = kek.wrap(ppks, PpkCodec.aad(storedIccids.get(1)));
      jdbc.update(
          "update profiles set ppk_format = 1, ppk_data_key_id = null, ppk_nonce = ?,"
              + " ppk_wrapped = ? where iccid = ?",
          old.nonce(),
          old.ciphertext(),
          storedIccids.get(1));
    }
    // Profile 2's row gets profile 0's sealed PPKs (same data key): must never be used.
    jdbc.update(
        "update profiles set ppk_nonce = ?, ppk_wrapped = ? where iccid = ?",
        rows.get(0).get("ppk_nonce"),
        rows.get(0).get("ppk_wrapped"),
        storedIccids.get(2));

    TestChips.Chip chip = TestChips.chip(31, 10);
    Api.Response imported =
        api.postJson(
            "/api/v1/euicc-data",
            Map.of("format", "ifpp-euicc-data/1", "euiccs", List.of(chip.filed())));
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    String eid = chip.eid().value();
    Api.Response bind =
        api.postJson("/api/v1/bindings", Map.of("pool", "forms", "eids", List.of(eid, eid, eid)));
    assertThat(bind.status()).as(bind.body()).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                "FAILED".equals(profileState(storedIccids.get(2)))
                    && count("select count(*) from bindings where state = 'BOUND'") == 2);
    assertThat(profileState(storedIccids.get(2))).isEqualTo("FAILED");
    assertThat(
            jdbc.queryForList(
                "select distinct b.result_code from bindings b join profiles p on p.id ="
                    + " b.profile_id where p.iccid = ?",
                String.class,
                storedIccids.get(2)))
        .containsExactly("binding-error");
    assertThat(jdbc.queryForList("select iccid from outbox order by iccid", String.class))
        .containsExactly(storedIccids.get(0), storedIccids.get(1));

    // Both forms open on the chip, byte-identical to the imported profile.
    X509Certificate bindingCert = signer.certificateChain()[0];
    List<Map<String, Object>> packages =
        jdbc.queryForList(
            "select o.iccid as iccid, "
                + OutboxPayloads.PAYLOAD
                + " as payload from "
                + OutboxPayloads.FROM
                + " order by o.id");
    assertThat(packages).hasSize(2);
    for (Map<String, Object> row : packages) {
      OpeningResult result =
          BoundProfilePackageOpener.open((byte[]) row.get("payload"), bindingCert, chip.euicc());
      assertThat(result).isInstanceOf(OpeningResult.Installed.class);
      try (OpeningResult.Installed installed = (OpeningResult.Installed) result) {
        assertThat(installed.ppkMode()).isTrue();
        int which = storedIccids.indexOf((String) row.get("iccid"));
        assertThat(installed.profile().toByteArray(SecretAccess.GRANTED))
            .isEqualTo(plain.get(which));
      }
    }
    assertThat(api.get("/api/v1/audit/verify").json().get("intact").asBoolean()).isTrue();

    // Neither the data key nor any PPK set (nor a 16-byte PPK) is in the logs or the database.
    String dump = pgDump();
    String logs = output.getAll().toLowerCase();
    for (byte[] secret : secrets) {
      List<byte[]> pieces = new ArrayList<>(List.of(secret));
      for (int off = 0; off + 16 <= secret.length; off += 16) {
        pieces.add(java.util.Arrays.copyOfRange(secret, off, off + 16));
      }
      for (byte[] piece : pieces) {
        String hex = HexFormat.of().formatHex(piece);
        String raw = new String(piece, StandardCharsets.ISO_8859_1).toLowerCase();
        String b64 = Base64.getEncoder().encodeToString(piece).toLowerCase();
        assertThat(dump).doesNotContain(hex).doesNotContain(raw);
        assertThat(logs).doesNotContain(hex).doesNotContain(b64);
      }
    }
    // The searches can fail: the dump holds the wrapped key and the ICCIDs, which are not secret.
    assertThat(dump).contains(HexFormat.of().formatHex(wrappedKey.ciphertext()));
    assertThat(dump).contains(storedIccids.get(0));
  }

  private String profileState(String iccid) {
    return jdbc.queryForObject("select state from profiles where iccid = ?", String.class, iccid);
  }

  private long count(String sql) {
    return jdbc.queryForObject(sql, Long.class);
  }

  /** pg_dump of the whole database, lower-cased. */
  private String pgDump() throws Exception {
    return new String(PgDump.dataOnly(url), StandardCharsets.ISO_8859_1).toLowerCase();
  }
}
