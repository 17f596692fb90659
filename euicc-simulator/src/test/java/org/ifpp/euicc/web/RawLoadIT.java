package org.ifpp.euicc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The raw whole-package load exactly as factory-line sends it ({@code Content-Type} and {@code
 * Accept} both {@code application/octet-stream}, the binding certificate in a header): every
 * outcome the endpoint has, with its status, headers, problem code and bytes. The equivalent {@code
 * Accept: application/octet-stream;q=1} gets the same answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class RawLoadIT {

  static final Path STATE = HttpSupport.tempStateDir();
  static final String RAW = "application/octet-stream";
  static final String RAW_Q = "application/octet-stream;q=1";
  static final String CERT = Base64.getEncoder().encodeToString(LoadApiIT.KM.certificateDer());
  static final List<String> HEADERS =
      List.of(
          "Content-Type",
          "Content-Length",
          "X-Ifpp-Result",
          "X-Ifpp-Error-Reason",
          "X-Ifpp-Iccid",
          "X-Ifpp-Remaining-One-Time-Keys");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) throws IOException {
    Path ci = STATE.resolve("trusted-ci.der");
    Files.write(ci, LoadApiIT.CI.certificateDer());
    r.add("ifpp.euicc.state-dir", STATE::toString);
    r.add("ifpp.euicc.trusted-ci-certificates", ci::toString);
    r.add("ifpp.euicc.max-package-bytes", () -> Integer.toString(LoadApiIT.MAX_PACKAGE));
  }

  @Value("${local.server.port}")
  int port;

  final HttpClient client = HttpClient.newHttpClient();

  HttpResponse<byte[]> load(String eid, byte[] body, String certificate, String accept) {
    return load(eid, body, certificate, accept, null);
  }

  HttpResponse<byte[]> load(
      String eid, byte[] body, String certificate, String accept, String bppEuiccOtpk) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/chips/" + eid + "/loads"))
            .header("Content-Type", "application/octet-stream")
            .header("Accept", accept)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (certificate != null) {
      b.header("X-Binding-Certificate", certificate);
    }
    if (bppEuiccOtpk != null) {
      b.header("X-Bpp-Euicc-Otpk", bppEuiccOtpk);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String newChip() {
    return new HttpSupport(port)
        .postJson("/api/v1/chips", Map.of("count", 1))
        .json()
        .get("eids")
        .get(0)
        .asString();
  }

  byte[] bindFor(String eid, int key) {
    LoadApiIT helper = new LoadApiIT();
    helper.port = port;
    return LoadApiIT.bind(eid, helper.exportedKeys(eid).get(key));
  }

  /** Sends a refused request in both Accept forms; both answers must agree, bytes included. */
  HttpResponse<byte[]> refusedInBothForms(String eid, byte[] body, String certificate) {
    HttpResponse<byte[]> raw = load(eid, body, certificate, RAW);
    HttpResponse<byte[]> q = load(eid, body, certificate, RAW_Q);
    assertSameHeaders(raw, q);
    assertThat(raw.body()).as(new String(raw.body())).isEqualTo(q.body());
    return raw;
  }

  static void assertSameHeaders(HttpResponse<byte[]> raw, HttpResponse<byte[]> q) {
    assertThat(raw.statusCode()).as(new String(raw.body())).isEqualTo(q.statusCode());
    for (String h : HEADERS) {
      assertThat(raw.headers().allValues(h)).as(h).isEqualTo(q.headers().allValues(h));
    }
  }

  static void assertProblem(HttpResponse<byte[]> r, int status, String code) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(HttpSupport.JSON.readTree(r.body()).get("code").asString()).isEqualTo(code);
  }

  @Test
  void install_answersTheRawPirWithTheSummaryInHeaders() {
    String a = newChip();
    String b = newChip();
    HttpResponse<byte[]> raw = load(a, bindFor(a, 0), CERT, RAW);
    HttpResponse<byte[]> q = load(b, bindFor(b, 0), CERT, RAW_Q);
    assertSameHeaders(raw, q);
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("X-Ifpp-Result")).hasValue("installed");
    assertThat(raw.headers().firstValue("X-Ifpp-Iccid")).isPresent();
    // The PIR is signed with a fresh nonce: same structure, not the same bytes.
    for (HttpResponse<byte[]> r : List.of(raw, q)) {
      assertThat(r.body()[0] & 0xFF).isEqualTo(0xBF);
      assertThat(r.body()[1] & 0xFF).isEqualTo(0x37);
      assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
    }
    assertThat(new HttpSupport(port).get("/api/v1/chips/" + a).json().get("installedProfiles"))
        .hasSize(1);
  }

  @Test
  void rejectedLoad_answersASignedRejectionInHeaders() {
    String eid = newChip();
    byte[] bpp = bindFor(eid, 0);
    assertThat(load(eid, bpp, CERT, RAW).headers().firstValue("X-Ifpp-Result"))
        .hasValue("installed");
    // Replays, one per Accept form: the chip answers both with a signed rejection.
    HttpResponse<byte[]> raw = load(eid, bpp, CERT, RAW);
    HttpResponse<byte[]> q = load(eid, bpp, CERT, RAW_Q);
    assertSameHeaders(raw, q);
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("X-Ifpp-Result")).hasValue("rejected");
    assertThat(raw.headers().firstValue("X-Ifpp-Error-Reason")).hasValue("invalidSignature");

    // A certificate that is valid base64 but not one the chip trusts: also a signed rejection.
    String other = newChip();
    byte[] otherBpp = bindFor(other, 1);
    String untrusted =
        Base64.getEncoder().encodeToString(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
    HttpResponse<byte[]> f2 = load(other, otherBpp, untrusted, RAW);
    HttpResponse<byte[]> m2 = load(other, otherBpp, untrusted, RAW_Q);
    assertSameHeaders(f2, m2);
    assertThat(f2.statusCode()).isEqualTo(200);
    assertThat(f2.headers().firstValue("X-Ifpp-Result")).hasValue("rejected");
  }

  @Test
  void refusals_areProblemsWithSpecificCodes_andTouchNothing() {
    String eid = newChip();
    byte[] bpp = bindFor(eid, 0);
    assertProblem(refusedInBothForms("1234", bpp, CERT), 400, "invalid-eid");
    assertProblem(refusedInBothForms(eid, bpp, null), 400, "missing-field");
    assertProblem(refusedInBothForms(eid, bpp, "   "), 400, "missing-field");
    assertProblem(refusedInBothForms(eid, bpp, "***"), 400, "invalid-base64");
    assertProblem(
        refusedInBothForms("89049032123451234512345678901235", bpp, CERT), 404, "chip-not-found");
    assertProblem(
        refusedInBothForms(eid, new byte[] {1, 2, 3, 4, 5}, CERT), 400, "malformed-package");
    assertProblem(refusedInBothForms(eid, new byte[0], CERT), 400, "missing-field");
    // Beyond the limit: the controller's bound, and the shared body limit's before the body is
    // read.
    assertProblem(
        refusedInBothForms(eid, new byte[LoadApiIT.MAX_PACKAGE + 1], CERT),
        413,
        "package-too-large");
    assertProblem(
        refusedInBothForms(eid, new byte[4 * LoadApiIT.MAX_PACKAGE], CERT),
        413,
        "package-too-large");
    // An invalid EID is refused before the certificate is looked at.
    assertProblem(refusedInBothForms("1234", bpp, null), 400, "invalid-eid");
    // None of the refusals touched the chip: it still installs.
    assertThat(load(eid, bpp, CERT, RAW).headers().firstValue("X-Ifpp-Result"))
        .hasValue("installed");
  }

  @Test
  void bppEuiccOtpk_selectsTheKey_andAKeyTheChipNoLongerHasIsRefusedBeforeLoading() {
    String eid = newChip();
    LoadApiIT helper = new LoadApiIT();
    helper.port = port;
    var key = helper.exportedKeys(eid).get(2);
    String named = org.ifpp.crypto.bpp.BppEuiccOtpk.of(key).toHex();
    byte[] bpp = LoadApiIT.bind(eid, key);
    HttpResponse<byte[]> ok = load(eid, bpp, CERT, RAW, named);
    assertThat(ok.headers().firstValue("X-Ifpp-Result")).hasValue("installed");
    assertThat(ok.headers().firstValue("X-Ifpp-Remaining-One-Time-Keys")).hasValue("3");
    // the same package again: the key is spent, refused before any check, nothing signed or kept
    String before = new HttpSupport(port).get("/api/v1/chips/" + eid + "/notifications").text();
    assertProblem(load(eid, bpp, CERT, RAW, named), 409, "one-time-key-spent");
    assertProblem(
        load(
            eid,
            bpp,
            CERT,
            RAW,
            org.ifpp.crypto.bpp.BppEuiccOtpk.of(helper.exportedKeys(newChip()).get(0)).toHex()),
        409,
        "one-time-key-unknown");
    assertProblem(load(eid, bpp, CERT, RAW, "04ABCD"), 400, "invalid-bpp-euicc-otpk");
    assertThat(new HttpSupport(port).get("/api/v1/chips/" + eid + "/notifications").text())
        .isEqualTo(before);
  }
}
