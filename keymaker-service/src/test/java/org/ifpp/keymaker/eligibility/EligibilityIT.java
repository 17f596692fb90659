package org.ifpp.keymaker.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.ifpp.crypto.euiccdata.EuiccCategory;
import org.ifpp.crypto.euiccdata.EuiccInfo2;
import org.ifpp.crypto.euiccdata.UiccCapability;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.OperatorSteps;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
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
 * DPFF09 through the API with a real PostgreSQL and SoftHSM token: a pool's rules (EUM, EID range,
 * EUICCInfo2 capabilities) refuse a chip before any binding, with a specific code and an audit
 * record, and nothing (profile, one-time key, order admission) is consumed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class EligibilityIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  static final EuiccInfo2 CAPABLE =
      EuiccInfo2.of(
          new byte[] {2, 2, 2},
          EnumSet.of(UiccCapability.USIM_SUPPORT, UiccCapability.AKA_MILENAGE),
          Optional.of(EuiccCategory.BASIC_EUICC));
  static final EuiccInfo2 NO_MILENAGE =
      EuiccInfo2.of(
          new byte[] {2, 2, 2},
          EnumSet.of(UiccCapability.USIM_SUPPORT, UiccCapability.AKA_TUAK128),
          Optional.of(EuiccCategory.BASIC_EUICC));

  @Value("${local.server.port}")
  int port;

  @Autowired JdbcTemplate jdbc;

  static TestChips.Chip capable;
  static TestChips.Chip noInfo;
  static TestChips.Chip lacking;
  static TestChips.Chip outside;
  Api api;

  @BeforeEach
  void importProfilesAndChips() {
    api = Api.operator(port);
    if (capable != null) {
      return;
    }
    OperatorSteps.importProfiles(api, "elig", 8_200_000L, 4);
    capable = TestChips.chip(1_100, 2);
    noInfo = TestChips.chip(1_101, 2);
    lacking = TestChips.chip(1_102, 2);
    outside = TestChips.chip(1_200, 2);
    OperatorSteps.importEuiccData(
        api,
        List.of(
            capable.filed(CAPABLE),
            noInfo.filed(),
            lacking.filed(NO_MILENAGE),
            outside.filed(CAPABLE)));
    Api.Response set =
        api.putJson(
            "/api/v1/pools/elig/eligibility",
            Map.of(
                "eums",
                List.of(eumSki().toLowerCase()),
                "eidRanges",
                List.of(Map.of("first", eidOf(1_100), "last", eidOf(1_199))),
                "uiccCapabilities",
                List.of("usimSupport", "akaMilenage"),
                "euiccCategories",
                List.of("basicEuicc")));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().get("eums").get(0).asText()).isEqualTo(eumSki());
  }

  static String eidOf(long serial) {
    return TestChips.chip(serial, 1).eid().value();
  }

  static String eumSki() {
    try {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(
              SubjectKeyIdentifier.fromExtensions(
                      new X509CertificateHolder(TestChips.EUM.certificateDer()).getExtensions())
                  .getKeyIdentifier());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void eligibleChip_isBound_andEachIneligibleOneIsRefusedWithItsCode() {
    assertRefused(lacking, "ineligible-capabilities", "akaMilenage");
    assertRefused(noInfo, "ineligible-capabilities", "no EUICCInfo2");
    assertRefused(outside, "ineligible-eid", "outside");

    Api.Response ok =
        api.postJson(
            "/api/v1/bindings", Map.of("pool", "elig", "eids", List.of(capable.eid().value())));
    assertThat(ok.status()).as(ok.body()).isEqualTo(202);
  }

  @Test
  void aBatchWithOneIneligibleChip_isRefusedWhole_andConsumesNothing() {
    Integer available = availableProfiles();
    Api.Response r =
        api.postJson(
            "/api/v1/bindings",
            Map.of("pool", "elig", "eids", List.of(capable.eid().value(), lacking.eid().value())));

    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().get("code").asText()).isEqualTo("ineligible-capabilities");
    assertThat(availableProfiles()).isEqualTo(available);
    assertThat(
            api.get("/api/v1/euicc-data/" + lacking.eid().value())
                .json()
                .get("availableKeys")
                .asLong())
        .isEqualTo(2);
  }

  @Test
  void underAnOrder_theRefusalLeavesTheOrderUntouched() {
    Api.Response created =
        api.postJson(
            "/api/v1/orders",
            Map.of("pool", "elig", "factory", "factory-1", "eids", List.of(lacking.eid().value())));
    String order = created.json().get("orderId").asText();

    Api.Response r = api.postJson("/api/v1/bindings", Map.of("orderId", order));

    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().get("code").asText()).isEqualTo("ineligible-capabilities");
    Api.Response progress = api.get("/api/v1/orders/" + order);
    assertThat(progress.json().get("state").asText()).isEqualTo("CREATED");
    assertThat(progress.json().get("devices").get("NOT_BOUND").asLong()).isEqualTo(1);
  }

  @Test
  void explicitPairs_areCheckedAgainstTheirProfilesPool() {
    String iccid =
        jdbc.queryForObject(
            "select iccid from profiles where pool = 'elig' and state = 'AVAILABLE' limit 1",
            String.class);
    Api.Response r =
        api.postJson(
            "/api/v1/bindings",
            Map.of("pairs", List.of(Map.of("iccid", iccid, "eid", outside.eid().value()))));

    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().get("code").asText()).isEqualTo("ineligible-eid");
  }

  @Test
  void anEumTheRulesDoNotName_isRefused() {
    api.putJson("/api/v1/pools/elig-other/eligibility", Map.of("eums", List.of("00AA")));
    Api.Response r =
        api.postJson(
            "/api/v1/bindings",
            Map.of("pool", "elig-other", "eids", List.of(capable.eid().value())));

    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().get("code").asText()).isEqualTo("ineligible-eum");
  }

  @Test
  void badRules_areRefusedWithTheirCode() {
    for (Map<String, Object> bad :
        List.of(
            Map.<String, Object>of("eums", List.of("not hex")),
            Map.<String, Object>of("uiccCapabilities", List.of("teleportation")),
            Map.<String, Object>of("euiccCategories", List.of("huge")),
            Map.<String, Object>of(
                "eidRanges", List.of(Map.of("first", eidOf(1_199), "last", eidOf(1_100)))),
            Map.<String, Object>of("eidRanges", List.of(Map.of("first", "12"))))) {
      Api.Response r = api.putJson("/api/v1/pools/elig-bad/eligibility", bad);
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.json().get("code").asText()).isEqualTo("invalid-eligibility-rules");
    }
    assertThat(api.get("/api/v1/pools/elig-bad/eligibility").json().get("eums")).isEmpty();
  }

  private void assertRefused(TestChips.Chip chip, String code, String detail) {
    Api.Response r =
        api.postJson(
            "/api/v1/bindings", Map.of("pool", "elig", "eids", List.of(chip.eid().value())));
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().get("code").asText()).isEqualTo(code);
    assertThat(r.json().get("detail").asText()).contains(detail);
    assertThat(
            jdbc.queryForList(
                "select details from audit_log where action = 'CHIP_INELIGIBLE' and subject = ?",
                String.class,
                chip.eid().value()))
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d).contains(code));
  }

  private Integer availableProfiles() {
    return jdbc.queryForObject(
        "select count(*)::int from profiles where pool = 'elig' and state = 'AVAILABLE'",
        Integer.class);
  }
}
