package org.ifpp.broker.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.LineItSupport;
import org.ifpp.broker.support.TestPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The line calls (claim, claim with download, download, report) through {@link LineController}, the
 * one path for each: the same statuses, problem codes, headers and bodies whatever the {@code
 * Accept} header (exact, absent) and with or without an Idempotency-Key.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class LineCallsIT extends LineItSupport {

  private static final String[] JSON = {"Accept", "application/json"};
  private static final String[] OCTETS = {"Accept", "application/octet-stream"};
  private static final String[] NO_ACCEPT = {};

  private static void assertProblem(Response r, int status, String code) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.text()).doesNotContain("Exception", "\tat ", "trace");
  }

  @Test
  void refusals_areTheSameWhateverTheAccept() {
    String downloadOnly = createClient(unique("d"), "download", factory, unique("L"));
    String claimOnly = createClient(unique("c"), "claim", factory, unique("L"));
    String factoryWide = createClient(unique("fw"), "claim,download", factory, null);
    String unknownEid = TestPackages.eid(new Random()).value();
    for (String[] accept : List.of(NO_ACCEPT, JSON, OCTETS)) {
      assertProblem(api.post("/api/v1/claims", line, "{", accept), 400, "malformed-json");
      assertProblem(api.post("/api/v1/claims", line, "", accept), 400, "malformed-json");
      assertProblem(api.post("/api/v1/claims", line, "[1]", accept), 400, "malformed-json");
      assertProblem(
          api.post("/api/v1/claims", line, "{\"eid\":\"abc\"}", accept), 400, "invalid-eid");
      assertProblem(api.post("/api/v1/claims", line, "{}", accept), 400, "invalid-eid");
      assertProblem(
          api.post("/api/v1/claims", downloadOnly, Map.of("eid", unknownEid), accept),
          403,
          "missing-scope");
      assertProblem(
          api.post("/api/v1/claims", factoryWide, Map.of("eid", unknownEid), accept),
          400,
          "missing-line-id");
      assertProblem(
          api.post("/api/v1/claims", factoryWide, Map.of("eid", unknownEid), with(accept, "a b")),
          400,
          "invalid-line-id");
      assertProblem(
          api.post("/api/v1/claims", line, Map.of("eid", unknownEid), accept),
          404,
          "package-not-found");
      assertProblem(
          api.post("/api/v1/claims", "no-such-token", Map.of("eid", unknownEid), accept),
          401,
          "invalid-credentials");
    }
    // The body is read before the scopes are checked, whatever the Accept.
    for (String[] accept : List.of(NO_ACCEPT, JSON, OCTETS)) {
      assertProblem(api.post("/api/v1/claims", claimOnly, "{", accept), 400, "malformed-json");
    }
    // Claim and download in one call needs both scopes.
    assertProblem(
        api.post("/api/v1/claims", claimOnly, Map.of("eid", unknownEid), OCTETS),
        403,
        "missing-scope");
  }

  private static String[] with(String[] accept, String lineId) {
    String[] h = java.util.Arrays.copyOf(accept, accept.length + 2);
    h[accept.length] = "X-Line-Id";
    h[accept.length + 1] = lineId;
    return h;
  }

  @Test
  void jsonClaim_andItsRetry_giveTheSameClaim() {
    List<Pkg> pkgs = packages(1, 500);
    assertThat(upload(unique("B"), factory, pkgs).status()).isEqualTo(201);
    String eid = pkgs.get(0).eid().value();

    Response first = api.post("/api/v1/claims", line, "{ \"eid\" : \"" + eid + "\" }", JSON);
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(first.header("Content-Type")).startsWith("application/json");
    // A retried claim by the holder renews the lease: the same claim.
    Response retry = api.post("/api/v1/claims", line, Map.of("eid", eid), NO_ACCEPT);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(first.json().get("transactionId")).isEqualTo(retry.json().get("transactionId"));
    assertThat(first.json().get("transactionId").asString()).isEqualTo(pkgs.get(0).tx().toHex());
    assertThat(first.json().get("claimCount").asInt()).isEqualTo(1);
    assertThat(retry.json().get("claimCount").asInt()).isEqualTo(2);
    assertThat(first.json().propertyNames()).isEqualTo(retry.json().propertyNames());
    for (String field : List.of("eid", "batchId", "packageUrl", "bindingCertificateUrl")) {
      assertThat(first.json().get(field)).as(field).isEqualTo(retry.json().get(field));
    }
    // The same ISO-8601 form; the retry renewed the lease, so it is not earlier.
    java.time.Instant firstLease =
        java.time.Instant.parse(first.json().get("leaseExpiresAt").asString());
    java.time.Instant retryLease =
        java.time.Instant.parse(retry.json().get("leaseExpiresAt").asString());
    assertThat(retryLease).isAfterOrEqualTo(firstLease);
    // A JSON body with another member is read as the claim (unknown members are ignored).
    Response extra =
        api.post("/api/v1/claims", line, "{\"eid\":\"" + eid + "\",\"note\":\"x\"}", JSON);
    assertThat(extra.status()).as(extra.text()).isEqualTo(200);
    assertThat(extra.json().get("claimCount").asInt()).isEqualTo(3);
  }

  @Test
  void octetStreamClaim_withAndWithoutIdempotencyKey_giveTheSamePackageAndHeaders() {
    List<Pkg> pkgs = packages(2, 3000);
    assertThat(upload(unique("B"), factory, pkgs).status()).isEqualTo(201);

    Response plain =
        api.post("/api/v1/claims", line, Map.of("eid", pkgs.get(0).eid().value()), OCTETS);
    // With an Idempotency-Key: the same answer.
    String key = unique("k");
    Response keyed =
        api.post(
            "/api/v1/claims",
            line,
            Map.of("eid", pkgs.get(1).eid().value()),
            "Accept",
            "application/octet-stream",
            "Idempotency-Key",
            key);
    assertThat(keyed.header("Idempotent-Replayed")).isNull();
    // The same key again: the same claim, replayed, with the package.
    Response replay =
        api.post(
            "/api/v1/claims",
            line,
            Map.of("eid", pkgs.get(1).eid().value()),
            "Accept",
            "application/octet-stream",
            "Idempotency-Key",
            key);
    assertThat(replay.status()).as(replay.text()).isEqualTo(200);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.body()).isEqualTo(pkgs.get(1).bpp());
    assertThat(replay.header("X-Transaction-Id")).isEqualTo(keyed.header("X-Transaction-Id"));
    for (int i = 0; i < 2; i++) {
      Response r = i == 0 ? plain : keyed;
      Pkg p = pkgs.get(i);
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
      assertThat(r.body()).isEqualTo(p.bpp());
      assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(p.bpp().length));
      assertThat(r.header("X-Transaction-Id")).isEqualTo(p.tx().toHex());
      assertThat(r.header("X-Claim-Count")).isEqualTo("1");
      assertThat(r.header("X-Batch-Id")).isNotBlank();
      assertThat(r.header("X-Lease-Expires-At")).isNotBlank();
      assertThat(r.header("X-Binding-Certificate-Url"))
          .isEqualTo("/api/v1/packages/" + p.tx().toHex() + "/binding-certificate");
    }
    assertThat(plain.header("X-Batch-Id")).isEqualTo(keyed.header("X-Batch-Id"));
    // The claim (ifpp.web.unobserved-paths) is left out of the generic HTTP observation: its
    // filter does not run for it at all (service-web's UnobservedPathsObservationFilter).
    assertThat(meters.find("http.server.requests").tag("uri", "/api/v1/claims").timers()).isEmpty();
    // Another line of the factory is refused the claimed package.
    String other = createLine(factory, unique("L"));
    assertProblem(
        api.post("/api/v1/claims", other, Map.of("eid", pkgs.get(0).eid().value()), OCTETS),
        409,
        "package-claimed");
  }

  @Test
  void download_givesTheSameBytesAndRefusals_whateverTheAccept() {
    List<Pkg> pkgs = packages(1, 2000);
    assertThat(upload(unique("B"), factory, pkgs).status()).isEqualTo(201);
    Pkg p = pkgs.get(0);
    assertThat(claim(line, p.eid()).status()).isEqualTo(200);
    String path = "/api/v1/packages/" + p.tx().toHex();
    String other = createLine(factory, unique("L"));
    String claimOnly = createClient(unique("c"), "claim", factory, unique("L"));
    String unknown = "/api/v1/packages/" + "00".repeat(16);
    for (String[] accept : List.of(NO_ACCEPT, OCTETS)) {
      Response r = api.get(path, line, accept);
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
      assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(p.bpp().length));
      assertThat(r.body()).isEqualTo(p.bpp());
      // Lower-case hex names the same package.
      assertThat(api.get(path.toLowerCase(java.util.Locale.ROOT), line, accept).body())
          .isEqualTo(p.bpp());
      assertProblem(api.get(path, other, accept), 409, "not-claim-holder");
      assertProblem(api.get(path, claimOnly, accept), 403, "missing-scope");
      assertProblem(api.get(unknown, line, accept), 404, "package-not-found");
      assertProblem(api.get("/api/v1/packages/ABC", line, accept), 400, "invalid-transaction-id");
      assertProblem(
          api.get("/api/v1/packages/" + "00".repeat(17), line, accept),
          400,
          "invalid-transaction-id");
      assertProblem(api.get(path, "no-such-token", accept), 401, "invalid-credentials");
    }
    assertThat(
            jdbc.queryForObject(
                "SELECT state FROM package WHERE eid = ?", String.class, p.eid().value()))
        .isEqualTo("CLAIMED");
  }

  @Test
  void report_givesTheSameAnswersAndRefusals_whateverTheAccept() {
    List<Pkg> pkgs = packages(2, 500);
    assertThat(upload(unique("B"), factory, pkgs).status()).isEqualTo(201);
    String other = createLine(factory, unique("L"));
    String claimOnly = createClient(unique("c"), "claim", factory, unique("L"));
    String factoryWide = createClient(unique("fw"), "report", factory, null);
    List<Response> answers = new java.util.ArrayList<>();
    List<byte[]> pirs = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String[] accept = i == 0 ? JSON : NO_ACCEPT;
      Pkg p = pkgs.get(i);
      long observed = observedReportRequests();
      String path = "/api/v1/packages/" + p.tx().toHex() + "/result";
      byte[] pir = TestPackages.installationResult(p.tx(), random);
      String b64 = TestPackages.b64(pir);
      // Before the claim: this line does not hold the package.
      assertProblem(report(line, p.tx(), "installed", pir, accept), 409, "not-claim-holder");
      assertThat(claim(line, p.eid()).status()).isEqualTo(200);
      // Refusals, in the controller's order of checks.
      assertProblem(api.post(path, line, "{", accept), 400, "malformed-json");
      assertProblem(api.post(path, line, "", accept), 400, "malformed-json");
      assertProblem(api.post(path, line, "[1]", accept), 400, "malformed-json");
      assertProblem(api.post(path, line, "{}", accept), 400, "malformed-base64");
      assertProblem(
          api.post(path, line, Map.of("profileInstallationResult", "@@"), accept),
          400,
          "malformed-base64");
      assertProblem(
          api.post(path, line, Map.of("profileInstallationResult", "AA=="), accept),
          400,
          "malformed-pir");
      assertProblem(
          api.post(
              path, line, Map.of("outcome", "maybe", "profileInstallationResult", b64), accept),
          400,
          "invalid-outcome");
      assertProblem(report(line, p.tx(), "failed", pir, accept), 400, "outcome-mismatch");
      byte[] otherTx = TestPackages.installationResult(TestPackages.transactionId(random), random);
      assertProblem(
          report(line, p.tx(), "installed", otherTx, accept), 400, "pir-transaction-mismatch");
      assertProblem(report(claimOnly, p.tx(), "installed", pir, accept), 403, "missing-scope");
      assertProblem(report(factoryWide, p.tx(), "installed", pir, accept), 400, "missing-line-id");
      assertProblem(
          api.post(
              "/api/v1/packages/ABC/result",
              line,
              Map.of("profileInstallationResult", b64),
              accept),
          400,
          "invalid-transaction-id");
      var unknown = TestPackages.transactionId(random);
      assertProblem(
          report(
              line, unknown, "installed", TestPackages.installationResult(unknown, random), accept),
          404,
          "package-not-found");
      assertProblem(
          report("no-such-token", p.tx(), "installed", pir, accept), 401, "invalid-credentials");
      assertProblem(report(other, p.tx(), "installed", pir, accept), 409, "not-claim-holder");
      // The report itself, then the same again (same answer), then a different one (kept too).
      Response first = report(line, p.tx(), "installed", pir, accept);
      assertThat(first.status()).as(first.text()).isEqualTo(200);
      assertThat(first.header("Content-Type")).startsWith("application/json");
      assertThat(first.json().get("transactionId").asString()).isEqualTo(p.tx().toHex());
      assertThat(first.json().get("outcome").asString()).isEqualTo("installed");
      Response again = api.post(path, line, Map.of("profileInstallationResult", b64), accept);
      assertThat(again.status()).as(again.text()).isEqualTo(200);
      assertThat(again.json()).isEqualTo(first.json());
      Response different =
          report(
              line, p.tx(), "installed", TestPackages.installationResult(p.tx(), random), accept);
      assertThat(different.status()).as(different.text()).isEqualTo(200);
      assertThat(different.json().get("outcome").asString()).isEqualTo("installed");
      answers.add(first);
      pirs.add(pir);
      // One path for every report: the generic HTTP observation sees each of them.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> observedReportRequests() > observed);
      assertThat(
              jdbc.queryForObject(
                  "SELECT count(*) FROM installation_result WHERE transaction_id = ?",
                  Integer.class,
                  p.tx().toBytes()))
          .isEqualTo(2);
    }
    assertThat(answers.get(0).json().propertyNames())
        .isEqualTo(answers.get(1).json().propertyNames());
    // Each report repeated (with the other Accept form) gets its first answer.
    for (int i = 0; i < 2; i++) {
      Response r =
          report(line, pkgs.get(i).tx(), "installed", pirs.get(i), i == 0 ? NO_ACCEPT : JSON);
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.json()).isEqualTo(answers.get(i).json());
    }
  }

  @org.springframework.beans.factory.annotation.Autowired
  private io.micrometer.core.instrument.MeterRegistry meters;

  /** Report requests seen by the generic {@code http.server.requests} observation. */
  private long observedReportRequests() {
    return meters
        .find("http.server.requests")
        .tag("uri", "/api/v1/packages/{transactionId}/result")
        .timers()
        .stream()
        .mapToLong(io.micrometer.core.instrument.Timer::count)
        .sum();
  }
}
