package org.ifpp.broker.packagerequests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A line's package request is kept once per request id, pulled by the Key Maker as sent, answered
 * once (each chip of the request exactly once), and read back only by the line that asked; every
 * bad shape gets its code and stores nothing.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class PackageRequestRelayIT extends BrokerItSupport {

  private static final String DATA = "4QMCAQE="; // opaque to the broker: base64 of some bytes

  private Map<String, Object> request(String id, String order, List<String> eids) {
    return Map.of(
        "format",
        "ifpp-package-request/1",
        "requestId",
        id,
        "orderId",
        order,
        "euiccs",
        eids.stream().map(e -> Map.of("eid", e, "data", DATA)).toList());
  }

  @Test
  void aRequest_isRelayedToTheKeyMaker_andItsAnswerBackToTheLineThatAsked() {
    String f = unique("F");
    String line = createLine(f, "L1");
    String otherLine = createLine(f, "L2");
    List<String> eids = packages(2, 10).stream().map(p -> p.eid().value()).toList();
    String id = UUID.randomUUID().toString();
    String order = UUID.randomUUID().toString();
    Map<String, Object> body = request(id, order, eids);

    assertThat(api.post("/api/v1/package-requests", KEYMAKER_TOKEN, body).status()).isEqualTo(403);
    String cursor =
        api.get("/api/v1/package-requests?limit=100", KEYMAKER_TOKEN)
            .json()
            .get("nextCursor")
            .asString();
    Response first = api.post("/api/v1/package-requests", line, body);
    assertThat(first.status()).as(new String(first.body())).isEqualTo(202);
    assertThat(first.json().get("state").asString()).isEqualTo("PENDING");
    // The line's retry: the same request; another body under the id: refused.
    assertThat(api.post("/api/v1/package-requests", line, body).status()).isEqualTo(200);
    Response conflict =
        api.post("/api/v1/package-requests", line, request(id, order, eids.subList(0, 1)));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.json().get("code").asString()).isEqualTo("package-request-conflict");

    JsonNode page =
        api.get("/api/v1/package-requests?after=" + cursor, KEYMAKER_TOKEN).json().get("requests");
    assertThat(page).hasSize(1);
    assertThat(page.get(0).get("requestId").asString()).isEqualTo(id);
    assertThat(page.get(0).get("factory").asString()).isEqualTo(f);
    assertThat(page.get(0).get("line").asString()).isEqualTo("L1");
    assertThat(page.get(0).get("euiccs").get(1).get("data").asString()).isEqualTo(DATA);

    // An answer must name every chip of the request once.
    Map<String, Object> partial =
        Map.of(
            "accepted", List.of(Map.of("eid", eids.get(0), "transactionId", "AB".repeat(16))),
            "refused", List.of());
    Response bad = api.post("/api/v1/package-requests/" + id + "/answer", KEYMAKER_TOKEN, partial);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("code").asString()).isEqualTo("invalid-package-answer");
    Map<String, Object> answer =
        Map.of(
            "accepted", List.of(Map.of("eid", eids.get(0), "transactionId", "AB".repeat(16))),
            "refused",
                List.of(Map.of("eid", eids.get(1), "code", "ineligible-eid", "detail", "outside")));
    assertThat(api.post("/api/v1/package-requests/" + id + "/answer", line, answer).status())
        .isEqualTo(403);
    assertThat(
            api.post("/api/v1/package-requests/" + id + "/answer", KEYMAKER_TOKEN, answer).status())
        .isEqualTo(200);
    assertThat(
            api.post("/api/v1/package-requests/" + id + "/answer", KEYMAKER_TOKEN, answer).status())
        .isEqualTo(200);
    Map<String, Object> other =
        Map.of(
            "accepted", List.of(),
            "refused",
                List.of(
                    Map.of("eid", eids.get(0), "code", "order-full", "detail", ""),
                    Map.of("eid", eids.get(1), "code", "order-full", "detail", "")));
    Response changed =
        api.post("/api/v1/package-requests/" + id + "/answer", KEYMAKER_TOKEN, other);
    assertThat(changed.status()).isEqualTo(409);
    assertThat(changed.json().get("code").asString()).isEqualTo("package-request-answered");

    Response read = api.get("/api/v1/package-requests/" + id, line);
    assertThat(read.json().get("state").asString()).isEqualTo("ANSWERED");
    assertThat(read.json().get("accepted").get(0).get("transactionId").asString())
        .isEqualTo("AB".repeat(16));
    assertThat(read.json().get("refused").get(0).get("code").asString())
        .isEqualTo("ineligible-eid");
    Response foreign = api.get("/api/v1/package-requests/" + id, otherLine);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().get("code").asString()).isEqualTo("package-request-not-found");
  }

  @Test
  void malformedRequests_areRefusedWithTheirCodes_andNothingIsStored() {
    String line = createLine(unique("F"), "L1");
    String eid = packages(1, 10).get(0).eid().value();
    String order = UUID.randomUUID().toString();
    Long before = jdbc.queryForObject("select count(*) from package_request", Long.class);
    Map<Map<String, Object>, String> bad =
        Map.of(
            Map.of("format", "other/1", "requestId", UUID.randomUUID().toString()),
            "invalid-package-request",
            request("not-a-uuid", order, List.of(eid)),
            "invalid-package-request",
            request(UUID.randomUUID().toString(), order, List.of()),
            "invalid-package-request",
            request(UUID.randomUUID().toString(), order, List.of(eid, eid)),
            "invalid-package-request",
            request(UUID.randomUUID().toString(), order, List.of("123")),
            "invalid-eid",
            Map.of(
                "format",
                "ifpp-package-request/1",
                "requestId",
                UUID.randomUUID().toString(),
                "orderId",
                order,
                "euiccs",
                List.of(Map.of("eid", eid, "data", "%%%"))),
            "malformed-base64");
    bad.forEach(
        (body, code) -> {
          Response r = api.post("/api/v1/package-requests", line, body);
          assertThat(r.status()).as(new String(r.body())).isEqualTo(400);
          assertThat(r.json().get("code").asString()).isEqualTo(code);
        });
    assertThat(jdbc.queryForObject("select count(*) from package_request", Long.class))
        .isEqualTo(before);
  }
}
