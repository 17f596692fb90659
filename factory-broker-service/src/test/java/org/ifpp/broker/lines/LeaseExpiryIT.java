package org.ifpp.broker.lines;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;

@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class LeaseExpiryIT extends BrokerItSupport {

  @Autowired LeaseSweeper sweeper;
  @Autowired MeterRegistry meters;

  private double expiries(String via) {
    return meters.counter("broker.lease.expiries", "via", via).count();
  }

  @Test
  void expiredLease_isTakenOverByAnotherLine_andTheFirstLineLosesIt() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    String l2 = createLine(factory, "L2");
    Pkg p = packages(1, 500).get(0);
    assertThat(upload(unique("B"), factory, List.of(p)).status()).isEqualTo(201);

    assertThat(claim(l1, p.eid()).status()).isEqualTo(200);
    assertThat(claim(l2, p.eid()).code()).isEqualTo("package-claimed");
    double before = expiries("claim");

    clock.advance(Duration.ofSeconds(61)); // lease is 60 s in tests
    Response takeover = claim(l2, p.eid());
    assertThat(takeover.status()).isEqualTo(200);
    assertThat(takeover.json().get("claimCount").asInt()).isEqualTo(2);
    assertThat(expiries("claim")).isEqualTo(before + 1);

    String path = "/api/v1/packages/" + p.tx().toHex();
    assertThat(api.get(path, l1).code()).isEqualTo("not-claim-holder");
    assertThat(api.get(path, l2).body()).isEqualTo(p.bpp());
    Response lateReport =
        report(l1, p.tx(), "installed", TestPackages.installationResult(p.tx(), new Random()));
    assertThat(lateReport.code()).isEqualTo("not-claim-holder");
  }

  @Test
  void expiredLease_blocksDownload_untilTheSameLineClaimsAgain() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    Pkg p = packages(1, 500).get(0);
    upload(unique("B"), factory, List.of(p));
    assertThat(claim(l1, p.eid()).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(61));
    String path = "/api/v1/packages/" + p.tx().toHex();
    assertThat(api.get(path, l1).code()).isEqualTo("lease-expired");
    Response again = claim(l1, p.eid());
    assertThat(again.status()).isEqualTo(200);
    assertThat(api.get(path, l1).body()).isEqualTo(p.bpp());
  }

  @Test
  void retriedClaim_bySameLine_returnsTheSamePackage() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    Pkg p = packages(1, 500).get(0);
    upload(unique("B"), factory, List.of(p));
    Response first = claim(l1, p.eid());
    Response retry = claim(l1, p.eid());
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json().get("transactionId").asString())
        .isEqualTo(first.json().get("transactionId").asString())
        .isEqualTo(p.tx().toHex());
  }

  @Test
  void sweep_returnsExpiredClaimsToAvailable_andLastClaimantMayStillReport() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    Pkg p = packages(1, 500).get(0);
    upload(unique("B"), factory, List.of(p));
    assertThat(claim(l1, p.eid()).status()).isEqualTo(200);
    double before = expiries("sweep");
    clock.advance(Duration.ofSeconds(61));
    assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);
    assertThat(expiries("sweep")).isGreaterThanOrEqualTo(before + 1);
    assertThat(
            jdbc.queryForObject(
                "SELECT state FROM package WHERE transaction_id = ?",
                String.class,
                p.tx().toBytes()))
        .isEqualTo("AVAILABLE");
    // The chip did answer: its result must not be lost because the lease ran out.
    Response late =
        report(l1, p.tx(), "installed", TestPackages.installationResult(p.tx(), new Random()));
    assertThat(late.status()).isEqualTo(200);
  }

  @Test
  void release_makesThePackageAvailableToAnotherLine_andIsRepeatable() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    String l2 = createLine(factory, "L2");
    Pkg p = packages(1, 500).get(0);
    upload(unique("B"), factory, List.of(p));
    claim(l1, p.eid());
    String path = "/api/v1/packages/" + p.tx().toHex() + "/release";
    assertThat(api.post(path, l1, null).status()).isEqualTo(200);
    assertThat(api.post(path, l1, null).status()).isEqualTo(200);
    assertThat(api.post(path, l2, null).code()).isEqualTo("not-claim-holder");
    assertThat(claim(l2, p.eid()).status()).isEqualTo(200);
  }

  @Test
  void report_isIdempotent_andADifferentResultIsKeptToo() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    Pkg p = packages(1, 500).get(0);
    upload(unique("B"), factory, List.of(p));
    claim(l1, p.eid());
    byte[] pir = TestPackages.installationResult(p.tx(), new Random());
    Response first = report(l1, p.tx(), "installed", pir);
    assertThat(first.status()).isEqualTo(200);
    Response again = report(l1, p.tx(), "installed", pir);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("reportedAt").asString())
        .isEqualTo(first.json().get("reportedAt").asString());
    // The broker cannot tell a false result from the genuine one: it keeps both for the Key Maker.
    byte[] other = TestPackages.installationResult(p.tx(), false, new Random());
    Response second = report(l1, p.tx(), "failed", other);
    assertThat(second.status()).as(second.text()).isEqualTo(200);
    assertThat(second.json().get("outcome").asString()).isEqualTo("failed");
    assertThat(report(l1, p.tx(), "failed", other).json().get("reportedAt").asString())
        .isEqualTo(second.json().get("reportedAt").asString());
    assertThat(claim(l1, p.eid()).code()).isEqualTo("package-reported");
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM installation_result WHERE transaction_id = ?",
                Integer.class,
                p.tx().toBytes()))
        .isEqualTo(2);
  }

  @Test
  void claimWithOctetStream_returnsTheBytesInOneCall_andTheClaimInHeaders() {
    String factory = unique("F");
    String l1 = createLine(factory, "L1");
    String l2 = createLine(factory, "L2");
    Pkg p = packages(1, 4000).get(0);
    upload(unique("B"), factory, List.of(p));
    Response r = claim(l1, p.eid(), "Accept", "application/octet-stream");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(p.bpp());
    assertThat(r.header("X-Transaction-Id")).isEqualTo(p.tx().toHex());
    assertThat(r.header("X-Lease-Expires-At")).isNotBlank();
    Response other = claim(l2, p.eid(), "Accept", "application/octet-stream");
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.header("Content-Type")).startsWith("application/problem+json");
    assertThat(other.code()).isEqualTo("package-claimed");
  }
}
