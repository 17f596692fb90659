package org.ifpp.euicc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class ChipApiIT {

  static final Path STATE = HttpSupport.tempStateDir();
  static final Path SGP26 = Path.of(System.getProperty("ifpp.test-data.dir"), "sgp26-certs");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("ifpp.euicc.state-dir", STATE::toString);
  }

  @Value("${local.server.port}")
  int port;

  HttpSupport http() {
    return new HttpSupport(port);
  }

  @Test
  void manufacture_thenStatus_showsProductionModeWithKeys() {
    HttpSupport.Response made =
        http().postJson("/api/v1/chips", Map.of("count", 3, "oneTimeKeys", 2));
    assertThat(made.status()).isEqualTo(201);
    JsonNode eids = made.json().get("eids");
    assertThat(eids.size()).isEqualTo(3);
    String eid = eids.get(0).asString();
    assertThat(eid).startsWith("89049032999").hasSize(32);

    JsonNode status = http().get("/api/v1/chips/" + eid).json();
    assertThat(status.get("mode").asString()).isEqualTo("production");
    assertThat(status.get("oneTimeKeysRemaining").asInt()).isEqualTo(2);
    assertThat(status.get("fieldServicesEnabled").asBoolean()).isFalse();
    assertThat(status.toString()).doesNotContainIgnoringCase("private");
  }

  @Test
  void fieldServices_areRefusedWhileKeysRemain_andAnUnsignedFinaliseChangesNothing() {
    String eid =
        http().postJson("/api/v1/chips", Map.of("count", 1)).json().get("eids").get(0).asString();
    HttpSupport.Response refused = http().postJson("/api/v1/chips/" + eid + "/field-services", "");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().get("code").asString()).isEqualTo("one-time-keys-remain");

    // the unauthenticated call of old is refused (the signed command: FinalisationApiIT)
    HttpSupport.Response unsigned =
        http().postJson("/api/v1/chips/" + eid + "/finalise-production", "");
    assertThat(unsigned.status()).isEqualTo(403);
    assertThat(unsigned.json().get("code").asString()).isEqualTo("finalisation-unsigned");
    JsonNode status = http().get("/api/v1/chips/" + eid).json();
    assertThat(status.get("mode").asString()).isEqualTo("production");
    assertThat(status.get("oneTimeKeysRemaining").asInt()).isEqualTo(4);
  }

  @Test
  void unknownEid_is404_andMalformedEid_is400() {
    HttpSupport.Response unknown = http().get("/api/v1/chips/89049032123451234512345678901235");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("code").asString()).isEqualTo("chip-not-found");
    HttpSupport.Response bad = http().get("/api/v1/chips/1234");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("code").asString()).isEqualTo("invalid-eid");
  }

  @Test
  void everyPathNamingAChip_refusesAMalformedEid_asProblemJson() {
    // 32 digits, wrong check digits: parsed where it enters, before any chip is looked up.
    String chip = "/api/v1/chips/89049032123451234512345678901200";
    byte[] raw = {(byte) 0xBF, 0x36, 0};
    String json = "application/json";
    for (HttpSupport.Response r :
        List.of(
            http().get(chip),
            http().postJson(chip + "/field-services", ""),
            http().get(chip + "/notifications"),
            http().delete(chip + "/notifications/1"),
            http().postJson(chip + "/finalise-production", Map.of("command", "AAAA")),
            http().postJson(chip + "/loads", Map.of("boundProfilePackage", "vzYA")),
            http().post(chip + "/loads", "application/octet-stream", json, raw),
            http().postJson(chip + "/es10b-loads", Map.of("segments", List.of("vzYA"))),
            http().postJson(chip + "/es10b-sessions", Map.of()),
            http()
                .post(
                    chip + "/es10b-sessions/" + UUID.randomUUID() + "/segments",
                    "application/octet-stream",
                    json,
                    raw),
            http().delete(chip + "/es10b-sessions/" + UUID.randomUUID()))) {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().get("code").asString()).isEqualTo("invalid-eid");
    }
  }

  @Test
  void garbageBodies_are400NotServerErrors() {
    assertThat(http().postJson("/api/v1/chips", "{not json").status()).isEqualTo(400);
    assertThat(http().postJson("/api/v1/chips", Map.of("count", 0)).status()).isEqualTo(400);
    for (String notWhole : List.of("1.5", "1.0", "1e1", "2.000001")) {
      HttpSupport.Response r = http().postJson("/api/v1/chips", "{\"count\":" + notWhole + "}");
      assertThat(r.status()).as(notWhole).isEqualTo(400);
      assertThat(r.json().get("code").asString()).isEqualTo("malformed-json");
    }
    HttpSupport.Response keys =
        http().postJson("/api/v1/chips", "{\"count\":1,\"oneTimeKeys\":2.5}");
    assertThat(keys.status()).isEqualTo(400);
    assertThat(keys.json().get("code").asString()).isEqualTo("malformed-json");
    HttpSupport.Response tooMany = http().postJson("/api/v1/chips", Map.of("count", 1_000_000));
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().get("code").asString()).isEqualTo("too-many-chips");
    HttpSupport.Response badCert =
        http()
            .postJson(
                "/api/v1/chips/imports", Map.of("certificate", "AAAA", "privateKeyPem", "nope"));
    assertThat(badCert.status()).isEqualTo(400);
    assertThat(badCert.json().get("code").asString()).isEqualTo("invalid-certificate");
  }

  @Test
  void sgp26Euicc_canBeImported() throws Exception {
    HttpSupport.Response r =
        http()
            .postJson(
                "/api/v1/chips/imports",
                Map.of(
                    "certificate",
                    Base64.getEncoder()
                        .encodeToString(Files.readAllBytes(SGP26.resolve("euicc.der"))),
                    "privateKeyPem",
                    Files.readString(SGP26.resolve("euicc-key.pem")),
                    "chain",
                    java.util.List.of(
                        Base64.getEncoder()
                            .encodeToString(Files.readAllBytes(SGP26.resolve("eum.der"))))));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("eid").asString()).isEqualTo("89049032123451234512345678901235");
    HttpSupport.Response again =
        http()
            .postJson(
                "/api/v1/chips/imports",
                Map.of(
                    "certificate",
                    Base64.getEncoder()
                        .encodeToString(Files.readAllBytes(SGP26.resolve("euicc.der"))),
                    "privateKeyPem",
                    Files.readString(SGP26.resolve("euicc-key.pem"))));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("code").asString()).isEqualTo("eid-exists");
  }

  @Test
  void openApi_isPublished() {
    HttpSupport.Response r = http().get("/v3/api-docs");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("/api/v1/chips/{eid}/finalise-production");
  }
}
