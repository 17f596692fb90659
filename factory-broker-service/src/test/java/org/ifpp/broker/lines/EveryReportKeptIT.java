package org.ifpp.broker.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The broker cannot verify a chip's signature, so a false or mistaken first report must not block
 * the genuine one: every distinct result for a package is kept and exported, once each, in the
 * order received; the Key Maker verifies and decides. What the broker can check with public data
 * (the signed result's structure and transactionId, the EID the line names) it refuses at once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class EveryReportKeptIT extends BrokerItSupport {

  private List<JsonNode> exportAll(String batchId) {
    List<JsonNode> seen = new ArrayList<>();
    String cursor = "";
    for (int guard = 0; guard < 100; guard++) {
      Response r =
          api.get(
              "/api/v1/results?limit=2&batchId=" + batchId + "&after=" + cursor, KEYMAKER_TOKEN);
      assertThat(r.status()).isEqualTo(200);
      r.json().get("results").forEach(seen::add);
      cursor = r.json().get("nextCursor").asString();
      if (!r.json().get("hasMore").asBoolean()) {
        break;
      }
    }
    return seen;
  }

  @Test
  void aFalseFirstReport_doesNotBlockTheGenuineOne_andBothAreExportedOnceInOrder() {
    String f = unique("F");
    String line = createLine(f, "L1");
    List<Pkg> pkgs = packages(1, 100);
    String batchId = unique("B");
    upload(batchId, f, pkgs);
    Pkg p = pkgs.get(0);
    assertThat(claim(line, p.eid()).status()).isEqualTo(200);
    // A refusal signed by another chip (the broker cannot tell), then the genuine success.
    byte[] falseFirst = TestPackages.installationResult(p.tx(), false, random);
    byte[] genuine = TestPackages.installationResult(p.tx(), true, random);
    assertThat(report(line, p.tx(), "failed", falseFirst).status()).isEqualTo(200);
    Response second = report(line, p.tx(), "installed", genuine);
    assertThat(second.status()).as(second.text()).isEqualTo(200);
    assertThat(second.json().get("outcome").asString()).isEqualTo("installed");
    // An exact repeat of either stays one row.
    assertThat(report(line, p.tx(), "failed", falseFirst).status()).isEqualTo(200);
    assertThat(report(line, p.tx(), "installed", genuine).status()).isEqualTo(200);

    List<JsonNode> exported = exportAll(batchId);
    assertThat(exported).hasSize(2);
    assertThat(exported)
        .extracting(n -> n.get("transactionId").asString())
        .containsOnly(p.tx().toHex());
    assertThat(exported)
        .extracting(n -> Base64.getDecoder().decode(n.get("profileInstallationResult").asString()))
        .containsExactly(falseFirst, genuine);
    assertThat(exported)
        .extracting(n -> n.get("outcome").asString())
        .containsExactly("failed", "installed");
    // The package stays REPORTED: no other line may claim it.
    String other = createLine(f, "L2");
    assertThat(claim(other, p.eid()).code()).isEqualTo("package-reported");
    assertThat(report(other, p.tx(), "installed", genuine).code()).isEqualTo("package-reported");
  }

  @Test
  void structurallyWrongReports_areRefusedWithTheirCodes_andStoreNothing() {
    String f = unique("F");
    String line = createLine(f, "L1");
    List<Pkg> pkgs = packages(2, 100);
    upload(unique("B"), f, pkgs);
    Pkg p = pkgs.get(0);
    claim(line, p.eid());
    String path = "/api/v1/packages/" + p.tx().toHex() + "/result";
    byte[] pir = TestPackages.installationResult(p.tx(), random);
    String b64 = TestPackages.b64(pir);
    // The EID the line names must be the package's.
    Response wrongEid =
        api.post(
            path, line, Map.of("eid", pkgs.get(1).eid().value(), "profileInstallationResult", b64));
    assertThat(wrongEid.status()).as(wrongEid.text()).isEqualTo(400);
    assertThat(wrongEid.code()).isEqualTo("eid-mismatch");
    assertThat(api.post(path, line, Map.of("eid", "123", "profileInstallationResult", b64)).code())
        .isEqualTo("invalid-eid");
    // The signed result of another transaction, or no signed result at all.
    byte[] otherTx = TestPackages.installationResult(pkgs.get(1).tx(), random);
    assertThat(report(line, p.tx(), "installed", otherTx).code())
        .isEqualTo("pir-transaction-mismatch");
    byte[] cut = java.util.Arrays.copyOf(pir, pir.length - 1);
    assertThat(report(line, p.tx(), "installed", cut).code()).isEqualTo("malformed-pir");
    assertThat(stored(p)).isZero();
    // With the right EID it is recorded.
    Response ok =
        api.post(path, line, Map.of("eid", p.eid().value(), "profileInstallationResult", b64));
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(stored(p)).isEqualTo(1);
  }

  @Test
  void distinctResultsPerPackage_areBounded_butARepeatIsStillAnswered() {
    String f = unique("F");
    String line = createLine(f, "L1");
    Pkg p = packages(1, 100).get(0);
    upload(unique("B"), f, List.of(p));
    claim(line, p.eid());
    byte[] first = TestPackages.installationResult(p.tx(), random);
    assertThat(report(line, p.tx(), "installed", first).status()).isEqualTo(200);
    for (int i = 1; i < ReportRepository.MAX_PER_PACKAGE; i++) {
      Response r =
          report(line, p.tx(), "installed", TestPackages.installationResult(p.tx(), random));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
    Response over =
        report(line, p.tx(), "installed", TestPackages.installationResult(p.tx(), random));
    assertThat(over.status()).isEqualTo(409);
    assertThat(over.code()).isEqualTo("too-many-reports");
    assertThat(report(line, p.tx(), "installed", first).status()).isEqualTo(200);
    assertThat(stored(p)).isEqualTo(ReportRepository.MAX_PER_PACKAGE);
  }

  private int stored(Pkg p) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM installation_result WHERE transaction_id = ?",
        Integer.class,
        p.tx().toBytes());
  }
}
