package org.ifpp.keymaker.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.bpp.BoundProfilePackageOpener;
import org.ifpp.crypto.bpp.OpeningResult;
import org.ifpp.keymaker.delivery.OutboxPayloads;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.PgDump;
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

/**
 * 32 binding worker threads and 32 clients planning batches at once over four chips: every binding
 * gets its own one-time key, no HSM error, every package opens on its chip; and no plain profile
 * byte is anywhere in the database (pg_dump searched for runs of every imported profile).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"keymaker.binding.workers=32", "keymaker.binding.chunk=4"})
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class ParallelBindingIT {

  static final int CHIPS = 4;
  static final int PER_CHIP = 32;
  static String jdbcUrl;

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "48");
  }

  @Value("${local.server.port}")
  int port;

  @Value("${spring.datasource.url}")
  String url;

  @Autowired JdbcTemplate jdbc;
  @Autowired HsmSigner signer;

  @Test
  void thirtyTwoThreads_neverShareAKey_andEveryPackageOpens() throws Exception {
    Api api = Api.operator(port);
    int total = CHIPS * PER_CHIP;
    List<byte[]> plain = new ArrayList<>();
    List<String> iccids = new ArrayList<>();
    List<String> encoded = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      String iccid = "894944" + String.format("%013d", 7_000_000L + i);
      byte[] der = TestProfiles.withIccid(TestProfiles.load(TestProfiles.NAMES[i % 3]), iccid);
      plain.add(der);
      iccids.add(iccid);
      encoded.add(Base64.getEncoder().encodeToString(der));
    }
    Api.Response imported =
        api.postJson("/api/v1/profiles", Map.of("pool", "par", "profiles", encoded));
    assertThat(imported.status()).as(imported.body()).isEqualTo(201);

    List<TestChips.Chip> chips = new ArrayList<>();
    List<Map<String, String>> filed = new ArrayList<>();
    for (int c = 0; c < CHIPS; c++) {
      TestChips.Chip chip = TestChips.chip(100 + c, PER_CHIP);
      chips.add(chip);
      filed.add(chip.filed());
    }
    Api.Response euiccs =
        api.postJson("/api/v1/euicc-data", Map.of("format", "ifpp-euicc-data/1", "euiccs", filed));
    assertThat(euiccs.json().get("accepted").asInt()).as(euiccs.body()).isEqualTo(CHIPS);

    // 32 clients at once, each planning 4 explicit pairs (one profile to each chip).
    ExecutorService clients = Executors.newFixedThreadPool(32);
    List<Future<Api.Response>> posted = new ArrayList<>();
    for (int t = 0; t < 32; t++) {
      List<Map<String, String>> pairs = new ArrayList<>();
      for (int c = 0; c < CHIPS; c++) {
        pairs.add(Map.of("iccid", iccids.get(t * CHIPS + c), "eid", chips.get(c).eid().value()));
      }
      posted.add(clients.submit(() -> api.postJson("/api/v1/bindings", Map.of("pairs", pairs))));
    }
    for (Future<Api.Response> f : posted) {
      assertThat(f.get().status()).as(f.get().body()).isEqualTo(202);
    }
    clients.shutdown();

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> count("select count(*) from bindings where state = 'BOUND'") >= total);
    assertThat(count("select count(*) from bindings where state = 'BOUND'")).isEqualTo(total);
    assertThat(count("select count(*) from bindings where state <> 'BOUND'")).isZero();
    assertThat(count("select count(distinct one_time_key_id) from bindings")).isEqualTo(total);
    assertThat(count("select count(*) from one_time_keys where state = 'SPENT'")).isEqualTo(total);
    assertThat(signer.invalidSignatureCount()).isZero();

    // Every package opens on its own chip, each on a different key.
    X509Certificate cert = signer.certificateChain()[0];
    Map<String, TestChips.Chip> byEid = new HashMap<>();
    chips.forEach(c -> byEid.put(c.eid().value(), c));
    for (Map<String, Object> row :
        jdbc.queryForList(
            "select o.eid, "
                + OutboxPayloads.PAYLOAD
                + " as payload, o.a3_length from "
                + OutboxPayloads.FROM)) {
      // PPK mode: the outbox holds the head only, the stored A3 is appended on reading.
      assertThat(row.get("a3_length")).isNotNull();
      TestChips.Chip chip = byEid.get((String) row.get("eid"));
      OpeningResult r =
          BoundProfilePackageOpener.open((byte[]) row.get("payload"), cert, chip.euicc());
      assertThat(r).isInstanceOf(OpeningResult.Installed.class);
      ((OpeningResult.Installed) r).close();
    }
    for (TestChips.Chip chip : chips) {
      assertThat(chip.euicc().unusedOneTimeKeys()).isEmpty();
    }
    assertThat(api.get("/api/v1/audit/verify").json().get("intact").asBoolean()).isTrue();

    assertNoPlainProfileInDatabase(plain);
  }

  private long count(String sql) {
    return jdbc.queryForObject(sql, Long.class);
  }

  /** pg_dump of the whole database; no 32-byte run of any plain profile, raw or hex. */
  private void assertNoPlainProfileInDatabase(List<byte[]> plain) throws Exception {
    byte[] dump = PgDump.dataOnly(url);
    String text = new String(dump, StandardCharsets.ISO_8859_1).toLowerCase();
    assertThat(dump.length).isGreaterThan(100_000); // the protected profiles are in it
    for (byte[] profile : plain) {
      for (int offset : new int[] {200, profile.length / 2, profile.length - 300}) {
        byte[] run = Arrays.copyOfRange(profile, offset, offset + 32);
        assertThat(text).doesNotContain(HexFormat.of().formatHex(run));
        assertThat(text).doesNotContain(new String(run, StandardCharsets.ISO_8859_1).toLowerCase());
      }
    }
    // The check can fail: the dump does contain ICCIDs, which are not secret.
    assertThat(text).contains("8949440000007000000");
  }
}
