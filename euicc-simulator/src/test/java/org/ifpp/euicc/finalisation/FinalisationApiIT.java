package org.ifpp.euicc.finalisation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataParseResult;
import org.ifpp.crypto.finalisation.FinalisationCommand;
import org.ifpp.crypto.finalisation.SignedFinalisationReceipt;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.Certificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST finalisation end to end: a chip made with the device maker's certificate, every refusal
 * answered with its code and changing nothing, then the signed command and the chip's receipt,
 * verified with CERT.EUICC as the Key Maker would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class FinalisationApiIT {

  static final DeviceMaker DM = new DeviceMaker();
  static final DeviceMaker STRANGER = new DeviceMaker();
  static final ObjectMapper JSON = JsonMapper.builder().build();
  static Path state;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) throws Exception {
    state = Files.createTempDirectory("finalisation-it");
    Path dm = state.resolve("dm.der");
    Files.write(dm, DM.certificateDer());
    r.add("ifpp.euicc.state-dir", state::toString);
    r.add("ifpp.euicc.device-maker-certificate", dm::toString);
  }

  @Value("${local.server.port}")
  int port;

  record Answer(int status, JsonNode json) {}

  Answer post(String path, Object body) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            body instanceof String s ? s : JSON.writeValueAsString(body)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  Answer get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  static Map<String, String> command(byte[] bf7a) {
    return Map.of("command", Base64.getEncoder().encodeToString(bf7a));
  }

  Answer finalise(String eid, Object body) throws Exception {
    return post("/api/v1/chips/" + eid + "/finalise-production", body);
  }

  Eid manufacture(Map<String, Object> request) throws Exception {
    Answer made = post("/api/v1/chips", request);
    assertThat(made.status()).isEqualTo(201);
    return Eid.of(made.json().get("eids").get(0).asString());
  }

  void assertRefused(Answer a, int status, String code, Eid eid) throws Exception {
    assertThat(a.status()).as(a.json().toString()).isEqualTo(status);
    assertThat(a.json().get("code").asString()).isEqualTo(code);
    JsonNode chip = get("/api/v1/chips/" + eid.value()).json();
    assertThat(chip.get("mode").asString()).isEqualTo("production");
    assertThat(chip.get("oneTimeKeysRemaining").asInt()).isEqualTo(3);
  }

  @Test
  void everyBadCommand_isRefusedWithItsCode_thenTheSignedOneGivesAVerifiableReceipt()
      throws Exception {
    Eid eid = manufacture(Map.of("count", 1, "oneTimeKeys", 3));
    Eid other = manufacture(Map.of("count", 1, "oneTimeKeys", 3));
    EcPublicKey euiccKey = euiccKey(eid);
    EcPublicKey otherKey = euiccKey(other);
    assertThat(get("/api/v1/chips/" + eid.value()).json().get("deviceMakerKey").asBoolean())
        .isTrue();

    // the old unauthenticated call, and a command without its signature
    assertRefused(finalise(eid.value(), ""), 403, "finalisation-unsigned", eid);
    assertRefused(finalise(eid.value(), Map.of()), 403, "finalisation-unsigned", eid);
    byte[] unsigned =
        org.ifpp.crypto.tlv.TlvWriter.encodeConstructed(
            FinalisationCommand.TAG, new FinalisationCommand(eid, 1).data());
    assertRefused(finalise(eid.value(), command(unsigned)), 403, "finalisation-unsigned", eid);
    assertRefused(
        finalise(eid.value(), command(new byte[] {1, 2, 3})), 400, "finalisation-malformed", eid);
    assertRefused(
        finalise(eid.value(), command(STRANGER.command(eid, 1).encoded())),
        403,
        "finalisation-signature-invalid",
        eid);
    assertRefused(
        finalise(eid.value(), command(DM.command(other, 1).encoded())),
        403,
        "finalisation-wrong-chip",
        eid);

    byte[] good = DM.command(eid, 41).encoded();
    Answer ok = finalise(eid.value(), command(good));
    assertThat(ok.status()).as(ok.json().toString()).isEqualTo(200);
    assertThat(ok.json().get("oneTimeKeysDeleted").asLong()).isEqualTo(3);
    assertThat(ok.json().get("ifppLocked").asBoolean()).isTrue();
    assertThat(ok.json().get("counter").asLong()).isEqualTo(41);
    SignedFinalisationReceipt receipt =
        SignedFinalisationReceipt.parse(
            Base64.getDecoder().decode(ok.json().get("receipt").asString()));
    assertThat(receipt.receipt().eid()).isEqualTo(eid);
    assertThat(receipt.verify(euiccKey)).isTrue();
    assertThat(receipt.verify(otherKey)).isFalse();
    JsonNode chip = get("/api/v1/chips/" + eid.value()).json();
    assertThat(chip.get("mode").asString()).isEqualTo("field");
    assertThat(chip.get("finalisationCounter").asLong()).isEqualTo(41);

    // the same command again, and an older counter: replays
    Answer replay = finalise(eid.value(), command(good));
    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.json().get("code").asString()).isEqualTo("finalisation-replayed");
    assertThat(finalise(eid.value(), command(DM.command(eid, 40).encoded())).status())
        .isEqualTo(409);
  }

  @Test
  void chipMadeWithAnotherDeviceMakersCertificate_trustsOnlyThatOne() throws Exception {
    Eid eid =
        manufacture(
            Map.of(
                "count",
                1,
                "oneTimeKeys",
                3,
                "deviceMakerCertificate",
                Base64.getEncoder().encodeToString(STRANGER.certificateDer())));
    assertRefused(
        finalise(eid.value(), command(DM.command(eid, 1).encoded())),
        403,
        "finalisation-signature-invalid",
        eid);
    assertThat(finalise(eid.value(), command(STRANGER.command(eid, 1).encoded())).status())
        .isEqualTo(200);
  }

  @Test
  void manufactureWithANonP256Certificate_isRefused() throws Exception {
    Path sgp26 = Path.of(System.getProperty("ifpp.test-data.dir"), "sgp26-certs");
    try (var files = Files.list(sgp26)) {
      Path brainpool =
          files
              .filter(p -> p.getFileName().toString().contains("BRP"))
              .filter(p -> p.getFileName().toString().endsWith(".der"))
              .findFirst()
              .orElse(null);
      if (brainpool == null) {
        return;
      }
      Answer a =
          post(
              "/api/v1/chips",
              Map.of(
                  "count",
                  1,
                  "deviceMakerCertificate",
                  Base64.getEncoder().encodeToString(Files.readAllBytes(brainpool))));
      assertThat(a.status()).isEqualTo(400);
      assertThat(a.json().get("code").asString()).isEqualTo("invalid-device-maker-certificate");
    }
  }

  /** PK.EUICC from CERT.EUICC in the chip's exported eUICC data (read while it has keys). */
  EcPublicKey euiccKey(Eid eid) throws Exception {
    Answer data = post("/api/v1/euicc-data/export", Map.of("eids", List.of(eid.value())));
    assertThat(data.status()).isEqualTo(200);
    byte[] der =
        Base64.getDecoder().decode(data.json().get("euiccs").get(0).get("data").asString());
    EuiccData parsed = ((EuiccDataParseResult.Parsed) EuiccData.parse(der)).data();
    return EcPublicKey.fromJca(
        Certificates.requireFromDer(parsed.euiccCertificate()).getPublicKey());
  }
}
