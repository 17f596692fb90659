package org.ifpp.keymaker.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ifpp.crypto.bpp.BoundProfilePackageOpener;
import org.ifpp.crypto.bpp.OpeningResult;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.testing.TestEuicc;
import org.ifpp.keymaker.euiccs.EuiccRegistry;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.ifpp.keymaker.testing.TestHsm;
import org.ifpp.keymaker.testing.TestProfiles;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Import the three TS.48 profiles through the API, bind them in PPK mode to a simulated chip, and
 * open every package with the chip's one-time private keys (the engine's opener).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BindingFlowIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  @Autowired EuiccRegistry registry;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcTemplate jdbc;
  @Autowired HsmSigner signer;

  @Test
  void importBindOpen_ppkMode_withTheThreeTs48Profiles() throws Exception {
    Api api = Api.operator(port);
    List<byte[]> plain = new ArrayList<>();
    for (String name : TestProfiles.NAMES) {
      byte[] der = TestProfiles.load(name);
      plain.add(der);
      Api.Response r = api.postBytes("/api/v1/profiles?pool=ts48", der, "application/octet-stream");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
    Eid eid = Eid.withCheckDigits("890490321234512345123456789012");
    TestEuicc chip =
        new TestEuicc(eid, TestHsm.CI.certificate(), Curve.P256, 4, new SecureRandom());
    List<EuiccRegistry.IndexedKey> keys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      keys.add(new EuiccRegistry.IndexedKey(i, chip.oneTimeKey(i)));
    }
    byte[] cert = TestHsm.CI.certificate().getEncoded();
    tx.executeWithoutResult(
        s ->
            registry.register(
                "test",
                List.of(new EuiccRegistry.VerifiedEuicc(eid, Curve.P256, cert, cert, keys))));

    Api.Response bind =
        api.postJson(
            "/api/v1/bindings",
            Map.of("pool", "ts48", "eids", List.of(eid.value(), eid.value(), eid.value())));
    assertThat(bind.status()).as(bind.body()).isEqualTo(202);
    String batch = bind.json().get("batchId").asText();

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Api.Response progress;
    do {
      Thread.sleep(200);
      progress = api.get("/api/v1/bindings/batches/" + batch);
    } while (progress.json().get("states").get("BOUND").asLong() < 3
        && System.nanoTime() < deadline);
    assertThat(progress.json().get("percentBound").asDouble()).isEqualTo(100.0);

    List<byte[]> packages =
        jdbc.queryForList("select payload from outbox order by id", byte[].class);
    assertThat(packages).hasSize(3);
    X509Certificate bindingCert = signer.certificateChain()[0];
    List<String> opened = new ArrayList<>();
    for (byte[] bpp : packages) {
      OpeningResult result = BoundProfilePackageOpener.open(bpp, bindingCert, chip);
      assertThat(result).isInstanceOf(OpeningResult.Installed.class);
      try (OpeningResult.Installed installed = (OpeningResult.Installed) result) {
        assertThat(installed.ppkMode()).isTrue();
        byte[] profile = installed.profile().toByteArray(SecretAccess.GRANTED);
        assertThat(plain).anySatisfy(p -> assertThat(profile).isEqualTo(p));
        opened.add(installed.iccid().value());
      }
    }
    assertThat(opened).doesNotHaveDuplicates().hasSize(3);
    // Each package consumed a different one-time key; one key is left.
    assertThat(chip.unusedOneTimeKeys()).hasSize(1);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from one_time_keys where state = 'SPENT'", Long.class))
        .isEqualTo(3);
  }
}
