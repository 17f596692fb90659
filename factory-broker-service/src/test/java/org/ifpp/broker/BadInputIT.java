package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.testsupport.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every endpoint's bad inputs give a 4xx problem+json with a specific code, never a 500. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BadInputIT extends BrokerItSupport {

  private String factory;
  private String line;
  private Pkg claimed;

  @BeforeEach
  void setUpPackage() {
    factory = unique("F");
    line = createLine(factory, "L1");
    claimed = packages(1, 100).get(0);
    upload(unique("B"), factory, List.of(claimed));
    claim(line, claimed.eid());
  }

  private static void assertProblem(Response r, int status, String code) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.text()).doesNotContain("Exception", "\tat ", "trace");
  }

  private Response uploadRaw(Object body) {
    return api.post("/api/v1/batches", KEYMAKER_TOKEN, body, "Idempotency-Key", unique("k"));
  }

  private Map<String, Object> validBatch() {
    return batchRequest(unique("B"), factory, packages(2, 50));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> firstPackage(Map<String, Object> batch) {
    return ((List<Map<String, Object>>) batch.get("packages")).get(0);
  }

  @Test
  void upload_badInputs() {
    assertProblem(uploadRaw("{\"batchId\": "), 400, "malformed-json");
    assertProblem(uploadRaw("[1,2]"), 400, "malformed-json");
    assertProblem(api.post("/api/v1/batches", KEYMAKER_TOKEN, validBatch()), 400, "missing-header");

    Map<String, Object> b = validBatch();
    b.put("batchId", "no spaces allowed");
    assertProblem(uploadRaw(b), 400, "invalid-batch-id");

    b = validBatch();
    b.remove("targetFactory");
    assertProblem(uploadRaw(b), 400, "invalid-target");

    b = validBatch();
    b.put("bindingCertificate", "%%%not-base64");
    assertProblem(uploadRaw(b), 400, "malformed-base64");

    b = validBatch();
    b.put("bindingCertificate", TestPackages.b64(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
    assertProblem(uploadRaw(b), 400, "malformed-certificate");

    b = validBatch();
    b.put("packages", List.of());
    assertProblem(uploadRaw(b), 400, "empty-batch");

    b = validBatch();
    firstPackage(b).put("eid", "89049032123451234512345678901234"); // wrong check digits
    assertProblem(uploadRaw(b), 400, "invalid-eid");

    b = validBatch();
    firstPackage(b).put("eid", "1234");
    assertProblem(uploadRaw(b), 400, "invalid-eid");

    b = validBatch();
    firstPackage(b).put("transactionId", "XYZ");
    assertProblem(uploadRaw(b), 400, "invalid-transaction-id");

    b = validBatch();
    firstPackage(b).put("boundProfilePackage", "!!!!");
    assertProblem(uploadRaw(b), 400, "malformed-base64");

    b = validBatch();
    firstPackage(b).put("boundProfilePackage", TestPackages.b64(new byte[] {0x30, 0x00}));
    assertProblem(uploadRaw(b), 400, "malformed-package");

    b = validBatch();
    firstPackage(b)
        .put("boundProfilePackage", TestPackages.b64(new byte[] {(byte) 0xBF, 0x36, (byte) 0x84}));
    assertProblem(uploadRaw(b), 400, "malformed-package");

    b = validBatch();
    TransactionId other = TestPackages.transactionId(new Random());
    firstPackage(b)
        .put(
            "boundProfilePackage",
            TestPackages.b64(TestPackages.boundPackage(other, 10, new Random())));
    assertProblem(uploadRaw(b), 400, "transaction-id-mismatch");

    b = validBatch();
    List<Object> twice = new ArrayList<>((List<?>) b.get("packages"));
    twice.add(twice.get(0));
    b.put("packages", twice);
    assertProblem(uploadRaw(b), 400, "duplicate-in-batch");

    b = validBatch();
    firstPackage(b).put("targetLine", "bad line!");
    assertProblem(uploadRaw(b), 400, "invalid-target");

    assertProblem(
        api.post(
            "/api/v1/batches",
            KEYMAKER_TOKEN,
            validBatch(),
            "Idempotency-Key",
            "bad key with spaces"),
        400,
        "malformed-idempotency-key");
  }

  @Test
  void upload_tooManyPackages_or_tooLargeBody() {
    Map<String, Object> b = batchRequest(unique("B"), factory, packages(5001, 1));
    Response tooMany = uploadRaw(b);
    assertProblem(tooMany, 400, "batch-too-large");
    // The body was read in full; the refusal is sized (not chunked) and ends the connection, so
    // the client reads a complete answer before the close.
    assertThat(tooMany.header("Content-Length")).isEqualTo(String.valueOf(tooMany.body().length));
    assertThat(tooMany.header("Transfer-Encoding")).isNull();
    byte[] huge = new byte[17 * 1024 * 1024];
    Arrays.fill(huge, (byte) ' ');
    // Declared too large: refused from the headers alone, before any body byte is read.
    String raw =
        RawHttp.exchange(
            port,
            "POST /api/v1/batches HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + KEYMAKER_TOKEN
                + "\r\nContent-Type: application/json\r\nIdempotency-Key: k\r\nContent-Length: "
                + (17L * 1024 * 1024)
                + "\r\n\r\n");
    assertThat(raw).startsWith("HTTP/1.1 413");
    assertThat(raw).contains("application/problem+json", "\"code\":\"body-too-large\"");
    assertThat(huge).hasSizeGreaterThan(16 * 1024 * 1024);
  }

  @Test
  void claim_badInputs() {
    assertProblem(api.post("/api/v1/claims", line, "{"), 400, "malformed-json");
    assertProblem(api.post("/api/v1/claims", line, Map.of("eid", "abc")), 400, "invalid-eid");
    assertProblem(api.post("/api/v1/claims", line, "{}"), 400, "invalid-eid");
    assertProblem(
        api.post("/api/v1/claims", line, "eid=1", "Content-Type", "text/plain"),
        415,
        "unsupported-media-type");
    String factoryWide = createClient(unique("fw"), "claim", factory, null);
    assertProblem(claim(factoryWide, claimed.eid()), 400, "missing-line-id");
    assertProblem(claim(factoryWide, claimed.eid(), "X-Line-Id", "a b"), 400, "invalid-line-id");
    String valid = TestPackages.eid(new Random()).value();
    assertProblem(api.post("/api/v1/claims", line, Map.of("eid", valid)), 404, "package-not-found");
  }

  @Test
  void download_report_release_badInputs() {
    assertProblem(api.get("/api/v1/packages/XYZ", line), 400, "invalid-transaction-id");
    assertProblem(api.get("/api/v1/packages/ABC", line), 400, "invalid-transaction-id");
    assertProblem(
        api.get("/api/v1/packages/" + "00".repeat(17), line), 400, "invalid-transaction-id");
    assertProblem(api.get("/api/v1/packages/" + "00".repeat(16), line), 404, "package-not-found");
    assertProblem(
        api.post("/api/v1/packages/zz/release", line, null), 400, "invalid-transaction-id");

    String path = "/api/v1/packages/" + claimed.tx().toHex() + "/result";
    byte[] pir = TestPackages.installationResult(claimed.tx(), new Random());
    assertProblem(
        api.post(
            path,
            line,
            Map.of("outcome", "maybe", "profileInstallationResult", TestPackages.b64(pir))),
        400,
        "invalid-outcome");
    assertProblem(report(line, claimed.tx(), "failed", pir), 400, "outcome-mismatch");
    assertProblem(
        api.post(path, line, Map.of("outcome", "installed", "profileInstallationResult", "AA==")),
        400,
        "malformed-pir");
    assertProblem(
        api.post(path, line, Map.of("outcome", "installed", "profileInstallationResult", "@@")),
        400,
        "malformed-base64");
    assertProblem(
        api.post(
            path,
            line,
            Map.of(
                "outcome",
                "installed",
                "profileInstallationResult",
                TestPackages.b64(TestPackages.tlv("BF36", new byte[0])))),
        400,
        "malformed-pir");
    byte[] noSignature = TestPackages.tlv("BF37", TestPackages.tlv("BF27", new byte[0]));
    assertProblem(report(line, claimed.tx(), "installed", noSignature), 400, "malformed-pir");
    byte[] otherTx =
        TestPackages.installationResult(TestPackages.transactionId(new Random()), new Random());
    assertProblem(
        report(line, claimed.tx(), "installed", otherTx), 400, "pir-transaction-mismatch");
    assertProblem(api.post(path, line, "{\"outcome\": 1"), 400, "malformed-json");
    assertThat(report(line, claimed.tx(), "installed", pir).status()).isEqualTo(200);
  }

  @Test
  void export_and_admin_badInputs() {
    assertProblem(api.get("/api/v1/results?after=abc", KEYMAKER_TOKEN), 400, "invalid-cursor");
    assertProblem(api.get("/api/v1/results?limit=0", KEYMAKER_TOKEN), 400, "invalid-parameter");
    assertProblem(api.get("/api/v1/results?limit=x", KEYMAKER_TOKEN), 400, "invalid-parameter");
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", "bad name");
    c.put("scopes", List.of("claim"));
    assertProblem(api.post("/api/v1/admin/clients", ADMIN_TOKEN, c), 400, "invalid-client-name");
    c.put("name", unique("ok"));
    c.put("scopes", List.of("fly"));
    assertProblem(api.post("/api/v1/admin/clients", ADMIN_TOKEN, c), 400, "invalid-scopes");
    c.put("scopes", List.of("claim"));
    assertProblem(api.post("/api/v1/admin/clients", ADMIN_TOKEN, c), 400, "invalid-binding");
    assertProblem(
        api.post("/api/v1/admin/clients/nobody/rotate", ADMIN_TOKEN, null),
        404,
        "client-not-found");
  }

  @Test
  void unknownRoutes_wrongMethods_andMediaTypes() {
    assertProblem(api.get("/api/v1/nothing-here", KEYMAKER_TOKEN), 404, "not-found");
    assertProblem(api.get("/nothing-here", null), 404, "not-found");
    assertProblem(api.send("DELETE", "/api/v1/claims", line, null), 405, "method-not-allowed");
    assertProblem(api.get("/api/v1/claims", line), 405, "method-not-allowed");
    assertProblem(
        api.get("/api/v1/results", KEYMAKER_TOKEN, "Accept", "text/csv"), 406, "not-acceptable");
  }

  /** Refusals made by Tomcat before the application runs are problem+json as well, not HTML. */
  @Test
  void tomcatLevelRefusals_areProblemJson() {
    String encodedSlash =
        RawHttp.exchange(
            port,
            "GET /api/v1/packages/00%2F11 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + line
                + "\r\nConnection: close\r\n\r\n");
    assertThat(encodedSlash).startsWith("HTTP/1.1 400");
    assertThat(encodedSlash)
        .contains("application/problem+json", "\"code\":\"malformed-request\"")
        .doesNotContain("<html", "Tomcat");
    String malformed =
        RawHttp.exchange(
            port, "GET /api/v1/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(malformed).startsWith("HTTP/1.1 400");
    assertThat(malformed)
        .contains("application/problem+json", "\"code\":\"malformed-request\"")
        .doesNotContain("<html", "Tomcat");
    String hugeHeader =
        RawHttp.exchange(
            port,
            "GET /api/v1/results HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + "x".repeat(10 * 1024)
                + "\r\nConnection: close\r\n\r\n");
    assertThat(hugeHeader).matches("(?s)HTTP/1.1 (400|431).*");
    assertThat(hugeHeader)
        .contains("application/problem+json", "\"code\":\"headers-too-large\"")
        .doesNotContain("<html", "Tomcat");
  }

  @Test
  void parameters_areValidated_andDetailsNameNoJavaTypes() {
    Response bogus = api.get("/api/v1/results?limit=BOGUS", KEYMAKER_TOKEN);
    assertProblem(bogus, 400, "invalid-parameter");
    assertThat(bogus.text()).doesNotContain("java.", "Integer", "String");
    assertProblem(api.get("/api/v1/results?limit=%00", KEYMAKER_TOKEN), 400, "invalid-parameter");
    assertProblem(api.get("/api/v1/results?after=%00", KEYMAKER_TOKEN), 400, "invalid-parameter");
    assertProblem(api.get("/api/v1/results?batchId=%00", KEYMAKER_TOKEN), 400, "invalid-parameter");
    assertProblem(
        api.get("/api/v1/results?batchId=a%20b", KEYMAKER_TOKEN), 400, "invalid-batch-id");
  }

  @Test
  void metricsNeedAnAdminCredential_andHealthShowsComponentsOnlyToIt() {
    assertProblem(api.get("/actuator/prometheus", null), 401, "unauthenticated");
    assertProblem(api.get("/actuator/metrics", null), 401, "unauthenticated");
    assertProblem(api.get("/actuator/metrics/jvm.threads.live", line), 401, "unauthenticated");
    assertProblem(api.get("/actuator/prometheus", "not-a-token"), 401, "unauthenticated");
    assertThat(api.get("/actuator/prometheus", ADMIN_TOKEN).status()).isEqualTo(200);
    assertThat(api.get("/actuator/metrics", ADMIN_TOKEN).status()).isEqualTo(200);
    Response anonymous = api.get("/actuator/health", null);
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.text()).contains("UP").doesNotContain("components", "db");
    assertThat(api.get("/actuator/health", line).text()).doesNotContain("components");
    assertThat(api.get("/actuator/health", ADMIN_TOKEN).text()).contains("components", "db");
    assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
  }

  /** Only successful answers are stored: a key whose first request was refused is free again. */
  @Test
  void idempotencyKeyOfARefusedRequest_doesNotBlockTheCorrectedRetry() {
    String key = unique("k");
    Map<String, Object> bad = batchRequest(unique("B"), factory, packages(1, 50));
    bad.put("batchId", "bad id with spaces");
    assertProblem(
        api.post("/api/v1/batches", KEYMAKER_TOKEN, bad, "Idempotency-Key", key),
        400,
        "invalid-batch-id");
    Map<String, Object> good = validBatch();
    Response corrected = api.post("/api/v1/batches", KEYMAKER_TOKEN, good, "Idempotency-Key", key);
    assertThat(corrected.status()).as(corrected.text()).isEqualTo(201);
    Response replay = api.post("/api/v1/batches", KEYMAKER_TOKEN, good, "Idempotency-Key", key);
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
  }
}
