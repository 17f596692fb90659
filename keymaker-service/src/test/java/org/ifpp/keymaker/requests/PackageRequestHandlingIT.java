package org.ifpp.keymaker.requests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.euiccdata.EuiccCategory;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccInfo2;
import org.ifpp.crypto.euiccdata.SignedOneTimePublicKey;
import org.ifpp.crypto.euiccdata.UiccCapability;
import org.ifpp.keymaker.delivery.BrokerClient;
import org.ifpp.keymaker.testing.Api;
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
 * The Key Maker's side of binding on request, with a real PostgreSQL and SoftHSM token: a request
 * as pulled from the broker is verified through the import's path (DPFF10), screened by the pool's
 * rules (DPFF09) and the order, bound once however often it is pulled, and a request from a line of
 * another factory binds nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class PackageRequestHandlingIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  private static final EuiccInfo2 CAPABLE =
      EuiccInfo2.of(
          new byte[] {2, 2, 2},
          EnumSet.of(UiccCapability.USIM_SUPPORT, UiccCapability.AKA_MILENAGE),
          Optional.of(EuiccCategory.BASIC_EUICC));
  private static final EuiccInfo2 TUAK_ONLY =
      EuiccInfo2.of(
          new byte[] {2, 2, 2},
          EnumSet.of(UiccCapability.USIM_SUPPORT, UiccCapability.AKA_TUAK128),
          Optional.empty());

  @Value("${local.server.port}")
  int port;

  @Autowired PackageRequestService service;
  @Autowired JdbcTemplate jdbc;
  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void aRequest_isVerifiedScreenedAndBoundOnce_andRefusalsAreRecordedPerChip() {
    Api api = Api.operator(port);
    OperatorSteps.importProfiles(api, "req", 8_300_000L, 3);
    api.putJson(
        "/api/v1/pools/req/eligibility",
        Map.of("uiccCapabilities", List.of("usimSupport", "akaMilenage")));
    String order = OperatorSteps.createOrder(api, "req", 3);
    TestChips.Chip good = TestChips.chip(1_300, 2);
    TestChips.Chip tampered = TestChips.chip(1_301, 2);
    TestChips.Chip tuak = TestChips.chip(1_302, 2);
    String id = UUID.randomUUID().toString();
    BrokerClient.PackageRequestItem item =
        new BrokerClient.PackageRequestItem(
            id,
            order,
            "factory-1",
            "L1",
            List.of(
                chip(good, good.euiccData(CAPABLE)),
                chip(
                    tampered,
                    badSignature(tampered.data().withEuiccInfo2(CAPABLE, tampered.signer()))),
                chip(tuak, tuak.euiccData(TUAK_ONLY))));

    UUID batch = service.handle(item);
    // Pulled again (a retry, a page read twice after a crash): nothing more is bound.
    assertThat(service.handle(item)).isNull();

    assertThat(batch).isNotNull();
    assertThat(
            jdbc.queryForObject(
                "select count(*)::int from bindings where batch_id = ?", Integer.class, batch))
        .isEqualTo(1);
    JsonNode progress = api.get("/api/v1/orders/" + order).json();
    assertThat(progress.get("admitted").asInt()).isEqualTo(1);
    Map<String, Object> row =
        jdbc.queryForMap(
            "select state, refused::text as refused from package_requests where request_id = ?::uuid",
            id);
    assertThat(row.get("state")).isEqualTo("PLANNED");
    JsonNode refused = json.readTree((String) row.get("refused"));
    assertThat(refused).hasSize(2);
    assertThat(refused.get(0).get("eid").asText()).isEqualTo(tampered.eid().value());
    assertThat(refused.get(0).get("code").asText()).isEqualTo("invalid-euicc-data");
    assertThat(refused.get(0).get("detail").asText()).contains("ONE_TIME_KEY_BAD_SIGNATURE");
    assertThat(refused.get(1).get("eid").asText()).isEqualTo(tuak.eid().value());
    assertThat(refused.get(1).get("code").asText()).isEqualTo("ineligible-capabilities");
    // The tampered chip's data was not registered; the ineligible chip's was, its keys unspent.
    assertThat(api.get("/api/v1/euicc-data/" + tampered.eid().value()).status()).isEqualTo(404);
    assertThat(
            api.get("/api/v1/euicc-data/" + tuak.eid().value())
                .json()
                .get("availableKeys")
                .asLong())
        .isEqualTo(2);
    assertThat(
            jdbc.queryForObject(
                "select count(*)::int from audit_log where action = 'PACKAGE_REQUEST_HANDLED' and subject = ?",
                Integer.class,
                id))
        .isEqualTo(1);

    // A line of another factory asking under this order: every chip refused, nothing bound.
    String other = UUID.randomUUID().toString();
    TestChips.Chip next = TestChips.chip(1_303, 2);
    assertThat(
            service.handle(
                new BrokerClient.PackageRequestItem(
                    other, order, "factory-2", "L9", List.of(chip(next, next.euiccData(CAPABLE))))))
        .isNull();
    JsonNode answer =
        json.readTree(
            jdbc.queryForObject(
                "select answer::text from package_requests where request_id = ?::uuid and state = 'READY'",
                String.class,
                other));
    assertThat(answer.get("accepted")).isEmpty();
    assertThat(answer.get("refused").get(0).get("code").asText())
        .isEqualTo("request-from-other-factory");
    assertThat(api.get("/api/v1/orders/" + order).json().get("admitted").asInt()).isEqualTo(1);
  }

  @Test
  void aStalledBinding_isAnsweredWithinTheBound_refusingThatChipWithAReason() throws Exception {
    Api api = Api.operator(port);
    OperatorSteps.importProfiles(api, "stall", 8_310_000L, 1);
    String order = OperatorSteps.createOrder(api, "stall", 2);
    TestChips.Chip chip = TestChips.chip(1_310, 2);
    TestChips.Chip unknown = TestChips.chip(1_311, 2);
    String id = UUID.randomUUID().toString();
    byte[] forged = badSignature(unknown.data().withEuiccInfo2(CAPABLE, unknown.signer()));
    assertThat(
            service.handle(
                new BrokerClient.PackageRequestItem(
                    id,
                    order,
                    "factory-1",
                    "L1",
                    List.of(chip(chip, chip.euiccData(CAPABLE)), chip(unknown, forged)))))
        .isNotNull();
    // This test's Key Maker has no broker: the chip's package never leaves the outbox.
    Map<String, JsonNode> posted = new java.util.HashMap<>();
    BrokerClient capture =
        new BrokerClient(
            new org.ifpp.keymaker.delivery.BrokerProperties(
                "http://127.0.0.1:1",
                "t",
                "factory-1",
                1,
                java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1),
                1),
            json) {
          @Override
          public boolean answerPackageRequest(String requestId, Object answer) {
            posted.put(requestId, (JsonNode) answer);
            return true;
          }
        };
    // Within the bound the answer waits for the package.
    service.answerReady(capture);
    assertThat(posted).doesNotContainKey(id);

    // Past the bound (keymaker.package-requests.answer-within, 2 minutes by default) it is posted:
    // the stalled chip refused with its reason, the refused one as before.
    jdbc.update(
        "update package_requests set received_at = received_at - interval '3 minutes'"
            + " where request_id = ?::uuid",
        id);
    service.answerReady(capture);
    JsonNode answer = posted.get(id);
    assertThat(answer.get("accepted")).isEmpty();
    Map<String, JsonNode> refused = new java.util.HashMap<>();
    answer.get("refused").forEach(r -> refused.put(r.get("eid").asText(), r));
    assertThat(refused.get(chip.eid().value()).get("code").asText())
        .isEqualTo("package-not-delivered");
    assertThat(refused.get(chip.eid().value()).get("detail").asText()).contains("PT2M", "binding ");
    assertThat(refused.get(unknown.eid().value()).get("code").asText())
        .isEqualTo("invalid-euicc-data");
    assertThat(
            jdbc.queryForObject(
                "select state from package_requests where request_id = ?::uuid", String.class, id))
        .isEqualTo("ANSWERED");
  }

  private static BrokerClient.RequestedChip chip(TestChips.Chip chip, byte[] der) {
    return new BrokerClient.RequestedChip(
        chip.eid().value(), Base64.getEncoder().encodeToString(der));
  }

  /** The record with one bit flipped in its first one-time key's eUICC signature. */
  private static byte[] badSignature(EuiccData d) {
    List<SignedOneTimePublicKey> keys = new ArrayList<>(d.oneTimeKeys());
    SignedOneTimePublicKey k = keys.get(0);
    byte[] signature = k.signature();
    signature[7] ^= 0x01;
    keys.set(0, SignedOneTimePublicKey.of(k.keyIndex(), k.publicKey(), signature));
    return EuiccData.of(d.eid(), d.euiccCertificate(), d.eumCertificate(), keys)
        .withEuiccInfo2(d.euiccInfo2().orElseThrow(), d.euiccInfo2Signature().orElseThrow())
        .encode();
  }
}
