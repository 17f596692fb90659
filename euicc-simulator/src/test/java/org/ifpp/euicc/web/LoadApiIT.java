package org.ifpp.euicc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataParseResult;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.pir.PirVerifier;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.euicc.finalisation.DeviceMaker;
import org.ifpp.euicc.loading.Es10bSegmenter;
import org.ifpp.euicc.manufacturing.internal.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Loading over HTTP, the way a line driver uses it: export, bind, load whole or segmented. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class LoadApiIT {

  static final Path STATE = HttpSupport.tempStateDir();
  static final Path TEST_DATA = Path.of(System.getProperty("ifpp.test-data.dir"));
  static final DevelopmentPki PKI = new DevelopmentPki(Clock.systemUTC(), new SecureRandom());
  static final DevelopmentCredential CI = PKI.createCi(Curve.P256, "IT CI");
  static final DevelopmentCredential KM =
      PKI.issueBindingCertificate(CI, Curve.P256, "IT Key Maker", "binding");
  static final Signer KM_SIGNER =
      SoftwareSigner.fromPem(Pem.write(KM.privateKey()), new SecureRandom());
  static final int MAX_PACKAGE = 64 * 1024;
  static final DeviceMaker DM = new DeviceMaker();

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) throws IOException {
    Path ci = STATE.resolve("trusted-ci.der");
    Files.write(ci, CI.certificateDer());
    r.add("ifpp.euicc.state-dir", STATE::toString);
    Path dm = STATE.resolve("device-maker.der");
    Files.write(dm, DM.certificateDer());
    r.add("ifpp.euicc.device-maker-certificate", dm::toString);
    r.add("ifpp.euicc.trusted-ci-certificates", ci::toString);
    r.add("ifpp.euicc.max-package-bytes", () -> Integer.toString(MAX_PACKAGE));
    // a package of MAX_PACKAGE bytes in base64 inside JSON, with room for the rest
    r.add("ifpp.web.max-body-size", () -> Integer.toString(MAX_PACKAGE * 4 / 3 + 64 * 1024));
  }

  @Value("${local.server.port}")
  int port;

  HttpSupport http() {
    return new HttpSupport(port);
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  String newChip() {
    return http()
        .postJson("/api/v1/chips", Map.of("count", 1))
        .json()
        .get("eids")
        .get(0)
        .asString();
  }

  /** The chip's one-time keys as the Key Maker sees them: through the eUICC data export. */
  List<EcPublicKey> exportedKeys(String eid) {
    JsonNode exported =
        http().postJson("/api/v1/euicc-data/export", Map.of("eids", List.of(eid))).json();
    assertThat(exported.get("format").asString()).isEqualTo("ifpp-euicc-data/1");
    byte[] e1 = Base64.getDecoder().decode(exported.get("euiccs").get(0).get("data").asString());
    EuiccDataParseResult parsed = EuiccData.parse(e1);
    assertThat(parsed).isInstanceOf(EuiccDataParseResult.Parsed.class);
    List<EcPublicKey> keys = new ArrayList<>();
    ((EuiccDataParseResult.Parsed) parsed)
        .data()
        .oneTimeKeys()
        .forEach(k -> keys.add(k.publicKey()));
    return keys;
  }

  /** Opens an ES10b segment session on the chip for the Key Maker's binding certificate. */
  HttpSupport.Response openSession(String eid) {
    return http()
        .postJson(
            "/api/v1/chips/" + eid + "/es10b-sessions",
            Map.of("bindingCertificate", b64(KM.certificateDer())));
  }

  /** Posts one segment of a session as raw bytes. */
  HttpSupport.Response postSegment(String eid, String session, byte[] segment) {
    return http()
        .post(
            "/api/v1/chips/" + eid + "/es10b-sessions/" + session + "/segments",
            "application/octet-stream",
            null,
            segment);
  }

  static byte[] bind(String eid, EcPublicKey otPk) {
    try (UnprotectedProfilePackage upp =
        UnprotectedProfilePackage.parse(
            Files.readAllBytes(TEST_DATA.resolve("profiles/TS48V1-A-UNIQUE.der")))) {
      return BoundProfilePackageBuilder.bind(KM_SIGNER, HostId.ofText("km"), Eid.of(eid), otPk)
          .sessionKeyMode(upp)
          .build()
          .encode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  HttpSupport.Response loadJson(String eid, byte[] bpp) {
    return http()
        .postJson(
            "/api/v1/chips/" + eid + "/loads",
            Map.of(
                "boundProfilePackage", b64(bpp), "bindingCertificate", b64(KM.certificateDer())));
  }

  /** The raw form, as factory-line sends it: the body is the signed PIR. */
  HttpSupport.Response loadRaw(String eid, byte[] bpp) {
    return http()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://localhost:" + port + "/api/v1/chips/" + eid + "/loads"))
                .header("Content-Type", "application/octet-stream")
                .header("Accept", "application/octet-stream")
                .header("X-Binding-Certificate", b64(KM.certificateDer()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bpp)));
  }

  @Test
  void notifications_holdEachLoadsSignedResult_untilRemoved() {
    String eid = newChip();
    byte[] bpp = bind(eid, exportedKeys(eid).get(0));
    HttpSupport.Response installed = loadRaw(eid, bpp);
    assertThat(installed.status()).isEqualTo(200);
    // A replay: the key is used, the chip refuses, and keeps the original result only.
    assertThat(loadRaw(eid, bpp).status()).isEqualTo(200);

    String path = "/api/v1/chips/" + eid + "/notifications";
    JsonNode list = http().get(path).json().get("notifications");
    assertThat(list).hasSize(1);
    JsonNode n = list.get(0);
    assertThat(n.get("outcome").asString()).isEqualTo("installed");
    assertThat(n.get("iccid").asString()).isNotBlank();
    assertThat(n.get("transactionId").asString()).matches("[0-9A-Fa-f]+");
    assertThat(Base64.getDecoder().decode(n.get("profileInstallationResult").asString()))
        .isEqualTo(installed.body());

    long seq = n.get("seqNumber").asLong();
    assertThat(http().delete(path + "/" + seq).status()).isEqualTo(204);
    assertThat(http().get(path).json().get("notifications")).isEmpty();
    HttpSupport.Response again = http().delete(path + "/" + seq);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(again.json().get("code").asString()).isEqualTo("notification-not-found");
  }

  @Test
  void notifications_ofAFailedLoad_sayFailed_withoutIccid() {
    String eid = newChip();
    byte[] otherChipsPackage = bind(newChip(), exportedKeys(eid).get(0));
    HttpSupport.Response refused = loadRaw(eid, otherChipsPackage);
    assertThat(refused.status()).isEqualTo(200);
    JsonNode n =
        http().get("/api/v1/chips/" + eid + "/notifications").json().get("notifications").get(0);
    assertThat(n.get("outcome").asString()).isEqualTo("failed");
    assertThat(n.get("iccid").isNull()).isTrue();
    assertThat(Base64.getDecoder().decode(n.get("profileInstallationResult").asString()))
        .isEqualTo(refused.body());
  }

  @Test
  void notifications_ofAnUnknownChip_is404() {
    HttpSupport.Response r =
        http().get("/api/v1/chips/89049032123451234512345678901235/notifications");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(http().delete("/api/v1/chips/" + newChip() + "/notifications/not-a-number").status())
        .isEqualTo(400);
  }

  @Test
  void wholePackage_installs_thenReplayIsRejected() {
    String eid = newChip();
    byte[] bpp = bind(eid, exportedKeys(eid).get(0));
    HttpSupport.Response r = loadJson(eid, bpp);
    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("result").asString()).isEqualTo("installed");
    assertThat(body.get("remainingOneTimeKeys").asInt()).isEqualTo(3);
    assertThat(body.get("iccid").asString()).isNotBlank();
    byte[] pir = Base64.getDecoder().decode(body.get("profileInstallationResult").asString());
    assertThat(pir[0] & 0xFF).isEqualTo(0xBF);
    assertThat(pir[1] & 0xFF).isEqualTo(0x37);

    JsonNode replay = loadJson(eid, bpp).json();
    assertThat(replay.get("result").asString()).isEqualTo("rejected");
    assertThat(replay.get("errorReason").asString()).isEqualTo("invalidSignature");

    JsonNode status = http().get("/api/v1/chips/" + eid).json();
    assertThat(status.get("installedProfiles").size()).isEqualTo(1);
    assertThat(status.get("installedProfiles").get(0).get("contentSha256").asString()).hasSize(64);
  }

  @Test
  void rawPackage_withOctetStreamAnswer_returnsTheSignedPir() {
    String eid = newChip();
    EcPublicKey key = exportedKeys(eid).get(1);
    byte[] bpp = bind(eid, key);
    HttpSupport.Response r =
        http()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://localhost:" + port + "/api/v1/chips/" + eid + "/loads"))
                    .header("Content-Type", "application/octet-stream")
                    .header("Accept", "application/octet-stream")
                    .header("X-Binding-Certificate", b64(KM.certificateDer()))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bpp)));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/octet-stream");
    assertThat(r.body().length).isGreaterThan(64);
    assertThat(r.body()[0] & 0xFF).isEqualTo(0xBF);
    assertThat(r.body()[1] & 0xFF).isEqualTo(0x37);
  }

  @Test
  void segmentList_installs() {
    String eid = newChip();
    byte[] bpp = bind(eid, exportedKeys(eid).get(2));
    List<String> segments = Es10bSegmenter.split(bpp).stream().map(LoadApiIT::b64).toList();
    HttpSupport.Response r =
        http()
            .postJson(
                "/api/v1/chips/" + eid + "/es10b-loads",
                Map.of("bindingCertificate", b64(KM.certificateDer()), "segments", segments));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("result").asString()).isEqualTo("installed");
  }

  @Test
  void segmentSession_installsAfterTheLastSegment() {
    String eid = newChip();
    byte[] bpp = bind(eid, exportedKeys(eid).get(3));
    HttpSupport.Response started = openSession(eid);
    assertThat(started.status()).isEqualTo(201);
    String session = started.json().get("sessionId").asString();
    List<byte[]> segments = Es10bSegmenter.split(bpp);
    HttpSupport.Response last = null;
    for (int i = 0; i < segments.size(); i++) {
      last = postSegment(eid, session, segments.get(i));
      if (i < segments.size() - 1) {
        assertThat(last.status()).isEqualTo(202);
      }
    }
    assertThat(last.status()).isEqualTo(200);
    assertThat(last.json().get("result").asString()).isEqualTo("installed");
    HttpSupport.Response after = postSegment(eid, session, segments.get(0));
    assertThat(after.status()).isEqualTo(404);
    assertThat(after.json().get("code").asString()).isEqualTo("session-not-found");
  }

  @Test
  void segmentOutOfOrder_is400() {
    String eid = newChip();
    List<byte[]> segments = Es10bSegmenter.split(bind(eid, exportedKeys(eid).get(0)));
    String session = openSession(eid).json().get("sessionId").asString();
    HttpSupport.Response r =
        http()
            .postJson(
                "/api/v1/chips/" + eid + "/es10b-sessions/" + session + "/segments",
                Map.of("segment", b64(segments.get(1))));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asString()).isEqualTo("unexpected-segment");
    assertThat(http().get("/api/v1/chips/" + eid).json().get("oneTimeKeysRemaining").asInt())
        .isEqualTo(4);
  }

  @Test
  void segmentSession_isAnsweredAtTheFirstFailingSegment_withTheSignedResult() {
    String eid = newChip();
    List<byte[]> segments = Es10bSegmenter.split(bind(eid, exportedKeys(eid).get(0)));
    byte[] header = segments.get(0);
    header[header.length - 10] ^= 1; // smdpSign: refused at the first segment
    String session = openSession(eid).json().get("sessionId").asString();
    HttpSupport.Response r = postSegment(eid, session, header);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("errorReason").asString()).isEqualTo("invalidSignature");
    assertThat(r.json().get("remainingOneTimeKeys").asInt()).isEqualTo(4);
    HttpSupport.Response next = postSegment(eid, session, segments.get(1));
    assertThat(next.status()).isEqualTo(404);
  }

  @Test
  void badInput_getsSpecific4xx_neverA500() {
    String eid = newChip();
    HttpSupport.Response garbage = loadJson(eid, new byte[] {1, 2, 3, 4, 5});
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.json().get("code").asString()).isEqualTo("malformed-package");

    HttpSupport.Response unknown =
        loadJson("89049032123451234512345678901235", new byte[] {(byte) 0xBF, 0x36, 0});
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("code").asString()).isEqualTo("chip-not-found");

    HttpSupport.Response oversized = loadJson(eid, new byte[MAX_PACKAGE + 1]);
    assertThat(oversized.status()).isEqualTo(413);
    assertThat(oversized.json().get("code").asString()).isEqualTo("package-too-large");

    HttpSupport.Response huge =
        http()
            .post(
                "/api/v1/chips/" + eid + "/loads",
                "application/octet-stream",
                null,
                new byte[4 * MAX_PACKAGE]);
    // Refused from its declared length, before it is read (ifpp.web.max-body-size).
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.json().get("code").asString()).isEqualTo("body-too-large");

    HttpSupport.Response badBase64 =
        http()
            .postJson(
                "/api/v1/chips/" + eid + "/loads",
                Map.of("boundProfilePackage", "***", "bindingCertificate", "AA=="));
    assertThat(badBase64.status()).isEqualTo(400);
    assertThat(badBase64.json().get("code").asString()).isEqualTo("invalid-base64");

    HttpSupport.Response missing = http().postJson("/api/v1/chips/" + eid + "/loads", Map.of());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("code").asString()).isEqualTo("missing-field");

    HttpSupport.Response notJson = http().postJson("/api/v1/chips/" + eid + "/loads", "[[[");
    assertThat(notJson.status()).isEqualTo(400);

    byte[] bpp = bind(eid, exportedKeys(eid).get(0));
    HttpSupport.Response truncated = loadJson(eid, java.util.Arrays.copyOf(bpp, bpp.length / 2));
    assertThat(truncated.status()).isIn(200, 400);
    assertThat(truncated.text()).doesNotContain("Exception");

    HttpSupport.Response noSession =
        http()
            .post(
                "/api/v1/chips/" + eid + "/es10b-sessions/not-a-uuid/segments",
                "application/octet-stream",
                null,
                new byte[] {1});
    assertThat(noSession.status()).isEqualTo(404);
  }

  @Test
  void afterFinalise_loadIsRefused_ifppDisabled() {
    String eid = newChip();
    byte[] bpp = bind(eid, exportedKeys(eid).get(0));
    byte[] command = DM.command(Eid.of(eid), 1).encoded();
    assertThat(
            http()
                .postJson(
                    "/api/v1/chips/" + eid + "/finalise-production",
                    Map.of("command", b64(command)))
                .status())
        .isEqualTo(200);
    JsonNode r = loadJson(eid, bpp).json();
    assertThat(r.get("result").asString()).isEqualTo("rejected");
    assertThat(r.get("errorReason").asString()).isEqualTo("ifppDisabled");
    HttpSupport.Response export =
        http().postJson("/api/v1/euicc-data/export", Map.of("eids", List.of(eid)));
    assertThat(export.status()).isEqualTo(409);
    assertThat(export.json().get("code").asString()).isEqualTo("no-one-time-keys");
  }

  @Test
  void exportAsOctetStream_isAnE2Batch() {
    String a = newChip();
    String b = newChip();
    HttpSupport.Response r =
        http()
            .post(
                "/api/v1/euicc-data/export",
                "application/json",
                "application/octet-stream",
                HttpSupport.JSON.writeValueAsBytes(Map.of("eids", List.of(a, b))));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()[0] & 0xFF).isEqualTo(0xE2);
  }

  @Test
  void pir_verifiesUnderTheChipCertificateKey() {
    String eid = newChip();
    JsonNode exported =
        http().postJson("/api/v1/euicc-data/export", Map.of("eids", List.of(eid))).json();
    EuiccData data =
        ((EuiccDataParseResult.Parsed)
                EuiccData.parse(
                    Base64.getDecoder()
                        .decode(exported.get("euiccs").get(0).get("data").asString())))
            .data();
    EcPublicKey euiccKey =
        EcPublicKey.fromJca(
            org.ifpp.euicc.credentials.CertificateFiles.parse(data.euiccCertificate())
                .getPublicKey());
    JsonNode r = loadJson(eid, bind(eid, data.oneTimeKeys().get(0).publicKey())).json();
    byte[] pir = Base64.getDecoder().decode(r.get("profileInstallationResult").asString());
    assertThat(PirVerifier.verify(pir, euiccKey).isVerified()).isTrue();
  }
}
