package org.ifpp.keymaker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.ifpp.keymaker.testing.TestProfiles;
import org.ifpp.testsupport.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Bad input at every endpoint: problem+json, the expected 4xx and code, never a 500. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BadInputIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  record Case(String name, Function<BadInputIT, Api.Response> call, int status, String code) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    String eid = "89049032123451234512345678901235";
    return Stream.of(
            new Case(
                "no token",
                t -> new Api(t.port, null).get("/api/v1/profiles"),
                401,
                "unauthenticated"),
            new Case(
                "unknown token",
                t -> new Api(t.port, "x".repeat(40)).get("/api/v1/profiles"),
                401,
                "unauthenticated"),
            new Case(
                "broker on operator endpoint",
                t -> Api.broker(t.port).get("/api/v1/profiles"),
                403,
                "forbidden"),
            new Case(
                "operator on results",
                t -> Api.operator(t.port).postJson("/api/v1/results", Map.of("results", List.of())),
                403,
                "forbidden"),
            new Case(
                "profile: garbage DER",
                t ->
                    t.op()
                        .postBytes(
                            "/api/v1/profiles", new byte[] {1, 2, 3}, "application/octet-stream"),
                400,
                "malformed-profile"),
            new Case(
                "profile: empty body",
                t -> t.op().postBytes("/api/v1/profiles", new byte[0], "application/octet-stream"),
                400,
                "malformed-request"),
            new Case(
                "profiles: state %00 (not an unfiltered list)",
                t -> t.op().get("/api/v1/profiles?state=%00"), 400, "invalid-parameter"),
            new Case(
                "profiles: state in lower case",
                t -> t.op().get("/api/v1/profiles?state=available"),
                400,
                "invalid-parameter"),
            new Case(
                "metrics without a token",
                t -> new Api(t.port, null).get("/actuator/prometheus"),
                401,
                "unauthenticated"),
            new Case(
                "metrics with the broker token",
                t -> Api.broker(t.port).get("/actuator/metrics"),
                401,
                "unauthenticated"),
            new Case(
                "profile: truncated",
                t ->
                    t.op()
                        .postBytes(
                            "/api/v1/profiles",
                            java.util.Arrays.copyOf(TestProfiles.load(TestProfiles.NAMES[0]), 5000),
                            "application/octet-stream"),
                400,
                "malformed-profile"),
            new Case(
                "profile: bad pool",
                t ->
                    t.op()
                        .postBytes(
                            "/api/v1/profiles?pool=%20bad",
                            TestProfiles.load(TestProfiles.NAMES[0]), "application/octet-stream"),
                400,
                "invalid-pool"),
            new Case(
                "profiles: not JSON",
                t -> t.op().postJson("/api/v1/profiles", "{not json"),
                400,
                "malformed-json"),
            new Case(
                "profiles: wrong type",
                t -> t.op().postJson("/api/v1/profiles", "{\"profiles\": 5}"),
                400,
                "malformed-json"),
            new Case(
                "profiles: not base64",
                t -> t.op().postJson("/api/v1/profiles", Map.of("profiles", List.of("@@@"))),
                400,
                "invalid-base64"),
            new Case(
                "profiles: empty list",
                t -> t.op().postJson("/api/v1/profiles", Map.of("profiles", List.of())),
                400,
                "empty-import"),
            new Case(
                "profile: unknown",
                t -> t.op().get("/api/v1/profiles/8949449999999999999"),
                404,
                "profile-not-found"),
            new Case(
                "profile: bad ICCID",
                t -> t.op().get("/api/v1/profiles/89494499x"),
                400,
                "invalid-iccid"),
            new Case(
                "order: bad id",
                t -> t.op().get("/api/v1/orders/not-a-uuid/devices"),
                400,
                "invalid-order-id"),
            new Case(
                "finalisation: bad EID",
                t -> t.op().get("/api/v1/euiccs/123/finalisation"),
                400,
                "invalid-eid"),
            new Case(
                "profiles: bad page",
                t -> t.op().get("/api/v1/profiles?size=0"),
                400,
                "invalid-page"),
            new Case(
                "profiles: bad state",
                t -> t.op().get("/api/v1/profiles?state=NOPE"),
                400,
                "invalid-parameter"),
            new Case(
                "wrong media type",
                t -> t.op().postBytes("/api/v1/profiles", new byte[] {1}, "text/plain"),
                415,
                "unsupported-media-type"),
            new Case(
                "euicc: empty",
                t -> t.op().postJson("/api/v1/euicc-data", Map.of("euiccs", List.of())),
                400,
                "empty-import"),
            new Case(
                "euicc: bad format",
                t ->
                    t.op()
                        .postJson(
                            "/api/v1/euicc-data",
                            Map.of("format", "v9", "euiccs", List.of(Map.of("data", "AA==")))),
                400,
                "unsupported-format"),
            new Case(
                "euicc: bad DER batch",
                t ->
                    t.op()
                        .postBytes(
                            "/api/v1/euicc-data", new byte[] {9, 9}, "application/octet-stream"),
                400,
                "malformed"),
            new Case(
                "euicc: bad EID", t -> t.op().get("/api/v1/euicc-data/123"), 400, "invalid-eid"),
            new Case(
                "euicc: unknown EID",
                t -> t.op().get("/api/v1/euicc-data/" + eid),
                404,
                "euicc-not-found"),
            new Case(
                "bind: neither mode",
                t -> t.op().postJson("/api/v1/bindings", Map.of("pool", "p")),
                400,
                "invalid-binding-request"),
            new Case(
                "bind: bad EID",
                t -> t.op().postJson("/api/v1/bindings", Map.of("eids", List.of("12"))),
                400,
                "invalid-eid"),
            new Case(
                "bind: unknown EID",
                t -> t.op().postJson("/api/v1/bindings", Map.of("eids", List.of(eid))),
                422,
                "unknown-eid"),
            new Case(
                "bind: unknown profile",
                t ->
                    t.op()
                        .postJson(
                            "/api/v1/bindings",
                            Map.of(
                                "pairs",
                                List.of(Map.of("iccid", "8949449999999999999", "eid", eid)))),
                422,
                "unknown-eid"),
            new Case(
                "batch: not a UUID",
                t -> t.op().get("/api/v1/bindings/batches/xyz"),
                400,
                "invalid-batch-id"),
            new Case(
                "batch: unknown",
                t -> t.op().get("/api/v1/bindings/batches/" + java.util.UUID.randomUUID()),
                404,
                "unknown-batch"),
            new Case(
                "abandon: bad id",
                t -> t.op().postJson("/api/v1/bindings/zz/abandon", "{}"),
                400,
                "invalid-transaction-id"),
            new Case(
                "abandon: unknown",
                t ->
                    t.op()
                        .postJson(
                            "/api/v1/bindings/00112233445566778899AABBCCDDEEFF/abandon", "{}"),
                409,
                "binding-not-abandonable"),
            new Case(
                "results: empty",
                t -> Api.broker(t.port).postJson("/api/v1/results", Map.of("results", List.of())),
                400,
                "empty-results"),
            new Case(
                "results: not base64",
                t ->
                    Api.broker(t.port)
                        .postJson(
                            "/api/v1/results",
                            Map.of(
                                "results",
                                List.of(
                                    Map.of(
                                        "transactionId",
                                        "00",
                                        "profileInstallationResult",
                                        "!!")))),
                400,
                "invalid-base64"),
            new Case(
                "results: not JSON",
                t -> Api.broker(t.port).postJson("/api/v1/results", "]"),
                400,
                "malformed-json"),
            new Case(
                "idempotency key too long",
                t ->
                    t.op()
                        .postJson(
                            "/api/v1/profiles", Map.of("profiles", List.of()), "k".repeat(201)),
                400,
                "malformed-idempotency-key"),
            new Case("unknown path", t -> t.op().get("/api/v1/nothing"), 404, "not-found"),
            new Case(
                "wrong method",
                t -> t.op().postJson("/api/v1/audit/head", "{}"),
                405,
                "method-not-allowed"))
        .map(Arguments::of);
  }

  Api op() {
    return Api.operator(port);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInput_isProblemJson_withItsCode(Case c) {
    Api.Response r = c.call().apply(this);
    assertThat(r.status()).as(c.name() + ": " + r.body()).isEqualTo(c.status());
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asText()).isEqualTo(c.code());
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at org.");
  }

  @Test
  void sameIdempotencyKey_replaysTheFirstAnswer_andRefusesAnotherBody() {
    byte[] profile = TestProfiles.load(TestProfiles.NAMES[1]);
    String b64 = java.util.Base64.getEncoder().encodeToString(profile);
    Map<String, Object> body = Map.of("pool", "idem", "profiles", List.of(b64));
    Api.Response first = op().postJson("/api/v1/profiles", body, "import-1");
    Api.Response second = op().postJson("/api/v1/profiles", body, "import-1");
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.body()).isEqualTo(first.body());
    Api.Response other =
        op().postJson(
                "/api/v1/profiles", Map.of("pool", "other", "profiles", List.of(b64)), "import-1");
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.json().get("code").asText()).isEqualTo("idempotency-key-reused");
    // Without the key, the same import is a duplicate.
    Api.Response dup = op().postJson("/api/v1/profiles", body);
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.json().get("code").asText()).isEqualTo("duplicate-iccid");
  }

  @Test
  void bindingToAChipOnAnotherCurve_isRefusedAtPlanning_withoutSpendingItsKeys() {
    // The test binding key is P-256; this chip's one-time keys are brainpoolP256r1.
    TestChips.Chip chip = TestChips.chip(4242, 2, Curve.BRAINPOOL_P256R1);
    Api.Response imported =
        op().postJson(
                "/api/v1/euicc-data",
                Map.of("format", "ifpp-euicc-data/1", "euiccs", List.of(chip.filed())));
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertThat(imported.json().get("accepted").asInt()).as(imported.body()).isEqualTo(1);
    // A profile is available, so without the check the binding would be planned and keys spent.
    byte[] profile =
        TestProfiles.withIccid(TestProfiles.load(TestProfiles.NAMES[2]), "8949440004242424242");
    Api.Response stored =
        op().postBytes("/api/v1/profiles?pool=curve", profile, "application/octet-stream");
    assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    String eid = chip.eid().value();
    Api.Response bind =
        op().postJson("/api/v1/bindings", Map.of("pool", "curve", "eids", List.of(eid)));
    assertThat(bind.status()).as(bind.body()).isEqualTo(422);
    assertThat(bind.contentType()).startsWith("application/problem+json");
    assertThat(bind.json().get("code").asText()).isEqualTo("curve-mismatch");
    Api.Response status = op().get("/api/v1/euicc-data/" + eid);
    assertThat(status.status()).as(status.body()).isEqualTo(200);
    assertThat(status.json().get("curve").asText()).isEqualTo("BRAINPOOL_P256R1");
    assertThat(status.json().get("availableKeys").asLong()).isEqualTo(2);
    assertThat(status.json().get("spentKeys").asLong()).isZero();
  }

  @Test
  void badParameter_detailNamesNoJavaType() {
    Api.Response r = op().get("/api/v1/profiles?state=BOGUS");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("code").asText()).isEqualTo("invalid-parameter");
    assertThat(r.body()).doesNotContain("java.", "ProfileState", "String").contains("AVAILABLE");
  }

  @Test
  void overLimitBody_is413BeforeItIsRead() throws Exception {
    // 70 MB declared, none sent: the answer comes from the headers alone.
    String raw =
        RawHttp.exchange(
            port,
            "POST /api/v1/profiles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestEnvironment.OPERATOR_TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + (70L * 1024 * 1024)
                + "\r\n\r\n");
    assertThat(raw).startsWith("HTTP/1.1 413");
    assertThat(raw).contains("application/problem+json", "\"code\":\"body-too-large\"");
  }

  @Test
  void tomcatLevelRefusals_areProblemJson() throws Exception {
    for (String request :
        List.of(
            "GET /api/v1/euicc-data/8904%2F1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /api/v1/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /api/v1/profiles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + "x".repeat(10 * 1024)
                + "\r\n\r\n")) {
      String raw = RawHttp.exchange(port, request);
      assertThat(raw).matches("(?s)HTTP/1.1 4(00|31).*");
      assertThat(raw)
          .contains("application/problem+json", "\"code\":")
          .doesNotContain("<html", "Tomcat");
    }
  }

  @Test
  void metricsAndHealthComponents_needTheOperatorToken() {
    assertThat(op().get("/actuator/prometheus").status()).isEqualTo(200);
    assertThat(new Api(port, null).get("/actuator/health").body()).doesNotContain("components");
    assertThat(op().get("/actuator/health").body()).contains("components");
  }

  /** Only successful answers are stored: a key whose first request was refused is free again. */
  @Test
  void idempotencyKeyOfARefusedRequest_doesNotBlockTheCorrectedRetry() {
    byte[] profile =
        TestProfiles.withIccid(TestProfiles.load(TestProfiles.NAMES[0]), "8949440004242424259");
    String b64 = java.util.Base64.getEncoder().encodeToString(profile);
    Api.Response refused =
        op().postJson(
                "/api/v1/profiles", Map.of("pool", "retry", "profiles", List.of("@@")), "r-1");
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    Api.Response corrected =
        op().postJson("/api/v1/profiles", Map.of("pool", "retry", "profiles", List.of(b64)), "r-1");
    assertThat(corrected.status()).as(corrected.body()).isEqualTo(201);
  }
}
