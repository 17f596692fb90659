package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class LineIsolationIT extends BrokerItSupport {

  @Test
  void anotherFactorysPackage_isNotFound_onEveryLineCall() {
    String f1 = unique("F");
    String f2 = unique("F");
    String mine = createLine(f1, "L1");
    String other = createLine(f2, "L1");
    Pkg p = packages(1, 300).get(0);
    upload(unique("B"), f1, List.of(p));
    assertThat(claim(mine, p.eid()).status()).isEqualTo(200);

    String base = "/api/v1/packages/" + p.tx().toHex();
    assertThat(claim(other, p.eid()).code()).isEqualTo("package-not-found");
    assertThat(api.get(base, other).status()).isEqualTo(404);
    assertThat(api.get(base + "/binding-certificate", other).status()).isEqualTo(404);
    assertThat(api.post(base + "/release", other, null).status()).isEqualTo(404);
    byte[] pir = TestPackages.installationResult(p.tx(), new Random());
    assertThat(report(other, p.tx(), "installed", pir).status()).isEqualTo(404);
    // and the rightful line still can
    assertThat(api.get(base + "/binding-certificate", mine).body())
        .isEqualTo(TestPackages.bindingCertificate());
  }

  @Test
  void packageForOneLine_isInvisibleToTheOtherLinesOfTheFactory() {
    String f = unique("F");
    String l1 = createLine(f, "L1");
    String l2 = createLine(f, "L2");
    Pkg generic = packages(1, 300).get(0);
    Pkg p = packages(1, 300).get(0);
    Pkg forL1 = new Pkg(p.eid(), p.tx(), p.bpp(), "L1");
    assertThat(upload(unique("B"), f, List.of(generic, forL1)).status()).isEqualTo(201);
    assertThat(claim(l2, forL1.eid()).status()).isEqualTo(404);
    assertThat(claim(l2, generic.eid()).status()).isEqualTo(200);
    assertThat(claim(l1, forL1.eid()).status()).isEqualTo(200);
  }

  @Test
  void lineBoundCredential_cannotActAsAnotherLine() {
    String f = unique("F");
    String l1 = createLine(f, "L1");
    Pkg p = packages(1, 300).get(0);
    upload(unique("B"), f, List.of(p));
    Response r = claim(l1, p.eid(), "X-Line-Id", "L2");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("line-mismatch");
  }

  @Test
  void missingScope_isForbidden() {
    String f = unique("F");
    String downloadOnly = createClient(unique("dl"), "download", f, "L1");
    Pkg p = packages(1, 300).get(0);
    upload(unique("B"), f, List.of(p));
    Response r = claim(downloadOnly, p.eid());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("missing-scope");
    // the Key Maker is no line, and a line is no Key Maker
    assertThat(claim(KEYMAKER_TOKEN, p.eid()).status()).isEqualTo(403);
    String line = createLine(f, "L1");
    assertThat(
            api.post(
                    "/api/v1/batches",
                    line,
                    batchRequest(unique("B"), f, packages(1, 10)),
                    "Idempotency-Key",
                    unique("k"))
                .code())
        .isEqualTo("missing-scope");
    assertThat(api.get("/api/v1/results", line).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/admin/clients", KEYMAKER_TOKEN).status()).isEqualTo(403);
  }

  @Test
  void missingOrUnknownToken_isUnauthorized() {
    Pkg p = packages(1, 300).get(0);
    Response none = claim(null, p.eid());
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("missing-credentials");
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(none.header("Content-Type")).startsWith("application/problem+json");
    Response bad = claim("not-a-token", p.eid());
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.code()).isEqualTo("invalid-credentials");
    assertThat(api.get("/api/v1/results", null, "Authorization", "Basic abc").status())
        .isEqualTo(401);
  }

  @Test
  void rotation_validatesTheNewTokenAtOnce_andRevokesTheOld() {
    String f = unique("F");
    String name = unique("rot");
    String old = createClient(name, "claim", f, "L1");
    Pkg p = packages(1, 300).get(0);
    upload(unique("B"), f, List.of(p));
    Response rotated = api.post("/api/v1/admin/clients/" + name + "/rotate", ADMIN_TOKEN, null);
    assertThat(rotated.status()).isEqualTo(200);
    String fresh = rotated.json().get("token").asString();
    assertThat(claim(old, p.eid()).status()).isEqualTo(401);
    assertThat(claim(fresh, p.eid()).status()).isEqualTo(200);

    assertThat(api.post("/api/v1/admin/clients/" + name + "/disable", ADMIN_TOKEN, null).status())
        .isEqualTo(200);
    assertThat(claim(fresh, p.eid()).status()).isEqualTo(401);
    // tokens are stored as hashes only
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM api_credential WHERE encode(token_sha256, 'escape') LIKE ?",
                Integer.class,
                "%" + fresh + "%"))
        .isZero();
  }
}
