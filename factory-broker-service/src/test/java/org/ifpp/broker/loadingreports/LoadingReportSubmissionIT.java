package org.ifpp.broker.loadingreports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A line submits its order's loading report; the Key Maker pulls it, each once, with the chip's
 * signed bytes unchanged and the line's reasons as sent; bad shapes and wrong scopes are refused.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class LoadingReportSubmissionIT extends BrokerItSupport {

  @Test
  void aLinesReport_isPulledByTheKeyMaker_onceAndAsSent() {
    String f = unique("F");
    String line = createLine(f, "L1");
    List<Pkg> pkgs = packages(3, 50);
    byte[] pir = TestPackages.installationResult(pkgs.get(0).tx(), new Random());
    String order = UUID.randomUUID().toString();
    List<Map<String, Object>> devices = new ArrayList<>();
    devices.add(
        Map.of(
            "eid", pkgs.get(0).eid().value(),
            "outcome", "INSTALLED",
            "transactionId", pkgs.get(0).tx().toHex(),
            "profileInstallationResult", TestPackages.b64(pir)));
    devices.add(
        Map.of("eid", pkgs.get(1).eid().value(), "outcome", "NO_RESULT", "reason", "DAMAGED"));
    devices.add(
        Map.of(
            "eid", pkgs.get(2).eid().value(), "outcome", "NO_RESULT", "reason", "NOT_ATTEMPTED"));
    Map<String, Object> body =
        Map.of("format", "ifpp-loading-report/1", "orderId", order, "devices", devices);

    // The Key Maker's credential cannot submit, a line's cannot export.
    assertThat(api.post("/api/v1/loading-reports", KEYMAKER_TOKEN, body).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/loading-reports", line).status()).isEqualTo(403);

    Response before = api.get("/api/v1/loading-reports?limit=100", KEYMAKER_TOKEN);
    String cursor = before.json().get("nextCursor").asString();
    Response submitted = api.post("/api/v1/loading-reports", line, body);
    assertThat(submitted.status()).as(new String(submitted.body())).isEqualTo(202);
    assertThat(submitted.json().get("devices").asInt()).isEqualTo(3);

    Response page = api.get("/api/v1/loading-reports?after=" + cursor, KEYMAKER_TOKEN);
    assertThat(page.status()).isEqualTo(200);
    JsonNode reports = page.json().get("reports");
    assertThat(reports).hasSize(1);
    JsonNode r = reports.get(0);
    assertThat(r.get("orderId").asString()).isEqualTo(order);
    assertThat(r.get("factory").asString()).isEqualTo(f);
    assertThat(r.get("line").asString()).isEqualTo("L1");
    JsonNode first = r.get("report").get("devices").get(0);
    assertThat(first.get("profileInstallationResult").asString()).isEqualTo(TestPackages.b64(pir));
    assertThat(r.get("report").get("devices").get(1).get("reason").asString()).isEqualTo("DAMAGED");
    String next = page.json().get("nextCursor").asString();
    assertThat(
            api.get("/api/v1/loading-reports?after=" + next, KEYMAKER_TOKEN).json().get("reports"))
        .isEmpty();
  }

  @Test
  void theSameReportSentAgainUnderItsKey_isKeptOnce_andAnsweredTheSame() {
    String line = createLine(unique("F"), "L1");
    String eid = packages(1, 10).get(0).eid().value();
    Map<String, Object> body =
        Map.of(
            "format",
            "ifpp-loading-report/1",
            "orderId",
            UUID.randomUUID().toString(),
            "devices",
            List.of(Map.of("eid", eid, "outcome", "NO_RESULT", "reason", "UNREACHABLE")));
    String key = "loading-report-" + UUID.randomUUID();
    Long before = jdbc.queryForObject("select count(*) from loading_report", Long.class);

    Response first = api.post("/api/v1/loading-reports", line, body, "Idempotency-Key", key);
    Response again = api.post("/api/v1/loading-reports", line, body, "Idempotency-Key", key);

    assertThat(first.status()).as(new String(first.body())).isEqualTo(202);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("reportId").asLong())
        .isEqualTo(first.json().get("reportId").asLong());
    assertThat(jdbc.queryForObject("select count(*) from loading_report", Long.class))
        .isEqualTo(before + 1);
  }

  @Test
  void malformedReports_areRefused_andNothingIsStored() {
    String line = createLine(unique("F"), "L1");
    String eid = packages(1, 10).get(0).eid().value();
    String order = UUID.randomUUID().toString();
    Long before = jdbc.queryForObject("select count(*) from loading_report", Long.class);
    List<Map<String, Object>> bad =
        List.of(
            Map.of("format", "other/1", "orderId", order, "devices", List.of()),
            Map.of(
                "format",
                "ifpp-loading-report/1",
                "orderId",
                "not-a-uuid",
                "devices",
                List.of(Map.of("eid", eid, "outcome", "NO_RESULT", "reason", "REMOVED"))),
            Map.of(
                "format",
                "ifpp-loading-report/1",
                "orderId",
                order,
                "devices",
                List.of(Map.of("eid", eid, "outcome", "INSTALLED", "reason", "REMOVED"))),
            Map.of(
                "format",
                "ifpp-loading-report/1",
                "orderId",
                order,
                "devices",
                List.of(
                    Map.of("eid", eid, "outcome", "NO_RESULT", "reason", "REMOVED"),
                    Map.of("eid", eid, "outcome", "NO_RESULT", "reason", "DAMAGED"))));
    for (Map<String, Object> body : bad) {
      Response r = api.post("/api/v1/loading-reports", line, body);
      assertThat(r.status()).as(new String(r.body())).isEqualTo(400);
      assertThat(r.json().get("code").asString()).isEqualTo("invalid-loading-report");
    }
    Response badEid =
        api.post(
            "/api/v1/loading-reports",
            line,
            Map.of(
                "format",
                "ifpp-loading-report/1",
                "orderId",
                order,
                "devices",
                List.of(Map.of("eid", "123", "outcome", "NO_RESULT", "reason", "REMOVED"))));
    assertThat(badEid.json().get("code").asString()).isEqualTo("invalid-eid");
    assertThat(jdbc.queryForObject("select count(*) from loading_report", Long.class))
        .isEqualTo(before);
  }
}
