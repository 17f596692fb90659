package org.ifpp.keymaker.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.ifpp.crypto.bpp.BoundProfilePackageOpener;
import org.ifpp.crypto.bpp.OpeningResult;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.testing.BrokerStub;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.ifpp.keymaker.testing.TestProfiles;
import org.ifpp.testsupport.Browser;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Key Maker's console in a real browser (headless Chromium): the broker's credential is
 * refused, the operator logs in, imports profiles and eUICC data from files, starts a batch and
 * watches it reach 100% live while a simulated line reports results through the broker (one chip
 * fails once and is re-bound automatically; one never reports and is re-bound from the
 * reconciliation view), verifies the audit chain, is refused a POST without the CSRF token, and
 * logs out. No page logs a browser console error. Screenshots: target/console-screenshots/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class KeymakerConsoleBrowserIT {

  static final String AUDITOR_TOKEN = "auditor-token-for-tests-0003";

  static final BrokerStub BROKER = BrokerStub.start();

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
    BROKER.register(registry);
    registry.add("keymaker.api.auditor-token", () -> AUDITOR_TOKEN);
  }

  @Value("${local.server.port}")
  int port;

  @Autowired JdbcTemplate jdbc;
  @Autowired HsmSigner signer;

  @Test
  @Order(1)
  void operatorImportsBindsWatchesReconcilesAuditsAndLogsOut() throws Exception {
    List<TestChips.Chip> chips =
        List.of(TestChips.chip(7001, 3), TestChips.chip(7002, 3), TestChips.chip(7003, 3));
    Path dir = Files.createTempDirectory("console-files");
    List<String> profileFiles = new ArrayList<>();
    for (String name : TestProfiles.NAMES) {
      Path f = dir.resolve(name + ".der");
      Files.write(f, TestProfiles.load(name));
      profileFiles.add(f.toString());
    }
    Path euiccFile = dir.resolve("euicc-data.json");
    Files.write(
        euiccFile,
        JsonMapper.builder()
            .build()
            .writeValueAsBytes(
                Map.of(
                    "format",
                    "ifpp-euicc-data/1",
                    "euiccs",
                    chips.stream().map(TestChips.Chip::filed).toList())));

    try (Browser b = Browser.open("http://localhost:" + port)) {
      // Not logged in: the console sends to its login page.
      b.go("/console");
      assertThat(b.path()).startsWith("/console/login");
      b.screenshot("keymaker-login");

      // The broker's credential (it only delivers results) sees no console page.
      login(b, TestEnvironment.BROKER_TOKEN);
      assertThat(b.path()).isEqualTo("/console/login?error");
      assertThat(b.find("[role=alert]").getText()).contains("Refused");

      login(b, TestEnvironment.OPERATOR_TOKEN);
      assertThat(b.path()).isEqualTo("/console");
      var cookie = b.cookies().get("IFPP_CONSOLE");
      assertThat(cookie.isHttpOnly()).isTrue();
      assertThat(cookie.isSecure()).isTrue();
      assertThat(cookie.getSameSite()).isEqualTo("Strict");

      // Import the three TS.48 profiles from files.
      b.find("#files").sendKeys(String.join("\n", profileFiles));
      b.submit("form[action$='/profiles/import'] button");
      assertThat(b.find("[role=status]").getText()).contains("Imported 3 profile(s)");
      assertThat(b.find("#pools tbody tr").getText()).contains("default").contains("3");
      b.screenshot("keymaker-profiles");

      // Import the chips' eUICC data from the EUM's file.
      b.go("/console/euiccs");
      b.find("#file").sendKeys(euiccFile.toString());
      b.submit("form[action$='/euiccs/import'] button");
      assertThat(b.find("[role=status]").getText()).contains("3 accepted, 0 rejected");
      assertThat(b.find("#ranges tbody tr").getText()).contains("89049032").contains("9");
      b.screenshot("keymaker-euiccs");

      // Start a batch: one profile per EID.
      b.go("/console/batches");
      new Select(b.find("#pool")).selectByValue("default");
      b.find("#eids")
          .sendKeys(chips.stream().map(c -> c.eid().value()).collect(Collectors.joining("\n")));
      b.submit("form[action$='/console/batches'] button");
      assertThat(b.path()).startsWith("/console/batches/");
      assertThat(b.find("[role=status]").getText()).contains("Batch started: 3 binding(s)");

      // The line: opens each delivered package in its chip and reports through the broker; chip 2
      // fails once (re-bound automatically), chip 3 stays silent until re-bound by the operator.
      X509Certificate bindingCert = signer.certificateChain()[0];
      Set<String> handled = new HashSet<>();
      AtomicBoolean chip3Silenced = new AtomicBoolean(true);
      boolean[] chip2Failed = {false};
      Runnable line =
          () -> {
            for (var e : BROKER.storedPackages().entrySet()) {
              if (handled.contains(e.getKey())) {
                continue;
              }
              String eid =
                  jdbc.queryForObject(
                      "select eid from outbox where upper(encode(transaction_id, 'hex')) = ?",
                      String.class,
                      e.getKey().toUpperCase());
              TestChips.Chip chip =
                  chips.stream().filter(c -> c.eid().value().equals(eid)).findFirst().orElseThrow();
              if (chip == chips.get(2) && chip3Silenced.getAndSet(false)) {
                handled.add(e.getKey());
                continue;
              }
              OpeningResult r =
                  BoundProfilePackageOpener.open(e.getValue(), bindingCert, chip.euicc());
              try (OpeningResult.Installed ok = (OpeningResult.Installed) r) {
                byte[] pir;
                if (chip == chips.get(1) && !chip2Failed[0]) {
                  chip2Failed[0] = true;
                  pir = chip.failure(ok.txId());
                } else {
                  pir = chip.success(ok.txId(), ok.iccid());
                }
                BROKER.addResult(ok.txId().toHex(), eid, Base64.getEncoder().encodeToString(pir));
              }
              handled.add(e.getKey());
            }
          };
      b.until(
          Duration.ofSeconds(60),
          "two installed, one failure, one silent",
          () -> {
            line.run();
            return b.find("#installed").getText().equals("2") && handled.size() >= 4;
          });
      // The failed device and the unreported one, in the reconciliation view (after a refresh).
      b.go(b.path());
      String table = b.find("#reconciliation").getText();
      assertThat(table).contains("FAILED").contains("INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS");
      assertThat(table).contains("UNREPORTED").contains(chips.get(2).eid().value());
      b.screenshot("keymaker-reconciliation");
      assertThat(b.submitConfirmed("#reconciliation form button")).contains("re-bind");
      assertThat(b.find("[role=status]").getText()).contains("being re-bound");

      // The line keeps running; the page follows without a reload until 100%.
      b.until(
          Duration.ofSeconds(60),
          "batch done",
          () -> {
            line.run();
            return b.find("#percent-done").getText().equals("100");
          });
      assertThat(b.find("#installed").getText()).isEqualTo("3");
      assertThat(b.find("#live-status").getText()).isEqualTo("live");
      b.until(
          Duration.ofSeconds(30),
          "a few chart points",
          () -> {
            String points = b.find("#throughput").getDomAttribute("data-points");
            return points != null && Integer.parseInt(points) >= 2;
          });
      b.screenshot("keymaker-batch");

      // The audit chain: verify it now, filter by kind.
      b.go("/console/audit");
      b.submit("#verify");
      assertThat(b.find("[role=status]").getText()).contains("Audit chain intact");
      new Select(b.find("#action")).selectByValue("BINDING_ABANDONED");
      b.submit("form[method=get] button");
      assertThat(b.all("#audit tbody tr")).hasSize(1);
      assertThat(b.find("#audit tbody tr").getText()).contains("console:operator");
      b.screenshot("keymaker-audit");

      b.go("/console/health");
      assertThat(b.find("#health").getText()).contains("Database").contains("HSM");
      assertThat(b.all("#health td.down")).isEmpty();
      b.screenshot("keymaker-health");
      b.go("/console/batches");
      b.screenshot("keymaker-batches");
      assertThat(b.consoleErrors()).isEmpty();

      // An action without the session's CSRF token is refused.
      assertThat(b.fetchStatus("POST", "/console/audit/verify")).isEqualTo(403);
      b.consoleErrors(); // the refused fetch logs its 403, as it should

      // Log out: the session is gone.
      b.submit("form.logout button");
      assertThat(b.path()).isEqualTo("/console/login?logout");
      b.go("/console/audit");
      assertThat(b.path()).startsWith("/console/login");
      assertThat(b.consoleErrors()).isEmpty();
    }
  }

  /**
   * Production orders, the import history and the auditor: the operator is refused a broken profile
   * import and imports eUICC data with one rejected chip (both in the history with their codes),
   * creates an order for three chips, binds it and watches it reach every device installed while a
   * line reports, downloads the signed operator's report (the signature verifies with the Key
   * Maker's certificate); the auditor then reads every page without a control to act, verifies the
   * audit chain, and is refused every action's POST (403) even with the page's CSRF token.
   */
  @Test
  @Order(2)
  void operatorRunsAnOrder_auditorReadsAndIsRefused() throws Exception {
    List<TestChips.Chip> chips =
        List.of(TestChips.chip(8001, 2), TestChips.chip(8002, 2), TestChips.chip(8003, 2));
    Path dir = Files.createTempDirectory("console-order-files");
    List<String> profileFiles = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path f = dir.resolve("order-profile-" + i + ".der");
      String iccid = "894944" + String.format("%013d", 8_200_000L + i);
      Files.write(f, TestProfiles.withIccid(TestProfiles.load(TestProfiles.NAMES[i]), iccid));
      profileFiles.add(f.toString());
    }
    Path broken = dir.resolve("broken.der");
    Files.write(broken, new byte[] {0x30, 0x03, 0x02, 0x01});
    List<Object> filed = new ArrayList<>();
    chips.forEach(c -> filed.add(c.filed()));
    filed.add(chips.get(0).filed()); // the same chip twice: the second is DUPLICATE_EID
    Path euiccFile = dir.resolve("order-euicc-data.json");
    Files.write(
        euiccFile,
        JsonMapper.builder()
            .build()
            .writeValueAsBytes(Map.of("format", "ifpp-euicc-data/1", "euiccs", filed)));
    String eids = chips.stream().map(c -> c.eid().value()).collect(Collectors.joining("\n"));

    try (Browser b = Browser.open("http://localhost:" + port)) {
      login(b, TestEnvironment.OPERATOR_TOKEN);

      // A refused profile import stores nothing and shows in the history with its code.
      b.find("#pool").clear();
      b.find("#pool").sendKeys("orders");
      b.find("#files").sendKeys(profileFiles.get(0) + "\n" + broken);
      b.submit("form[action$='/profiles/import'] button");
      assertThat(b.find("[role=alert]").getText()).contains("Refused (malformed-profile)");
      String history = b.find("#imports tbody tr").getText();
      assertThat(history).contains("REFUSED").contains("profiles[1]").contains("malformed-profile");
      // The refusal is kept without anything of the profiles: the code, the count, the position.
      assertThat(
              AuditLog.parseDetails(
                      jdbc.queryForObject(
                          "select details from audit_log where action = 'PROFILE_IMPORT_REFUSED'",
                          String.class))
                  .keySet())
          .containsExactly("code", "item", "profiles");
      b.find("#pool").clear();
      b.find("#pool").sendKeys("orders");
      b.find("#files").sendKeys(String.join("\n", profileFiles));
      b.submit("form[action$='/profiles/import'] button");
      assertThat(b.find("[role=status]").getText()).contains("Imported 3 profile(s)");
      assertThat(b.all("#imports tbody tr").get(1).getText()).contains("REFUSED");
      b.screenshot("keymaker-import-history");

      // eUICC data with one rejected chip: its EID and code in the history.
      b.go("/console/euiccs");
      b.find("#file").sendKeys(euiccFile.toString());
      b.submit("form[action$='/euiccs/import'] button");
      assertThat(b.find("[role=status]").getText()).contains("3 accepted, 1 rejected");
      String rejected = b.find("#euicc-imports tbody tr").getText();
      assertThat(rejected)
          .contains("PARTLY REJECTED")
          .contains(chips.get(0).eid().value())
          .contains("DUPLICATE_EID");

      // Create an order for the three chips and bind it.
      b.go("/console/orders");
      new Select(b.find("#pool")).selectByValue("orders");
      b.find("#eids").sendKeys(eids);
      b.submit("form[action$='/console/orders'] button");
      assertThat(b.path()).startsWith("/console/orders/");
      assertThat(b.find("[role=status]").getText()).contains("Order created for 3 device(s)");
      String orderPath = b.path();
      String orderId = orderPath.substring("/console/orders/".length());
      assertThat(b.find("#waiting").getText()).isEqualTo("3");
      b.submit("#bind");
      assertThat(b.find("[role=status]").getText()).contains("Binding started");

      // The line installs each delivered package, except chip 3's first: it stays unreported until
      // the operator abandons it from the reconciliation view. The page follows without a reload.
      X509Certificate bindingCert = signer.certificateChain()[0];
      Set<String> handled = new HashSet<>();
      AtomicBoolean chip3Silent = new AtomicBoolean(true);
      Runnable line = () -> installDelivered(chips, bindingCert, handled, chip3Silent);
      b.until(
          Duration.ofSeconds(60),
          "two devices installed, one unreported",
          () -> {
            line.run();
            return b.find("#installed").getText().equals("2")
                && b.find("#unreported").getText().equals("1");
          });
      b.go(orderPath);
      String open = b.find("#reconciliation").getText();
      assertThat(open).contains("UNREPORTED").contains(chips.get(2).eid().value());
      b.screenshot("keymaker-order-reconciliation");
      assertThat(b.submitConfirmed("#reconciliation form button")).contains("re-bind");
      assertThat(b.find("[role=status]").getText()).contains("being re-bound");
      b.until(
          Duration.ofSeconds(60),
          "every device of the order installed",
          () -> {
            line.run();
            return b.find("#installed").getText().equals("3");
          });
      assertThat(b.find("#order-state").getText()).isEqualTo("IN_PRODUCTION");
      assertThat(b.find("#delivered").getText()).isEqualTo("3");
      assertThat(b.find("#unreported").getText()).isEqualTo("0");
      assertThat(b.find("#live-status").getText()).isEqualTo("live");
      b.screenshot("keymaker-order");

      // The orders list follows it too.
      b.go("/console/orders");
      b.waitForText(
          "#orders tr[data-order='" + orderId + "'] [data-field=installed]",
          "3",
          Duration.ofSeconds(10));
      b.screenshot("keymaker-orders");

      // The signed operator's report, as the page's form downloads it.
      b.go(orderPath);
      Browser.Answer report = b.fetchForm("#report-form");
      assertThat(report.status()).isEqualTo(200);
      var signed = JsonMapper.builder().build().readTree(report.body());
      assertThat(signed.path("format").asString()).isEqualTo("ifpp-signed-operator-report/1");
      byte[] reportJson = Base64.getDecoder().decode(signed.path("report").asString());
      java.security.Signature verify = java.security.Signature.getInstance("SHA256withECDSA");
      verify.initVerify(bindingCert.getPublicKey());
      verify.update(reportJson);
      assertThat(verify.verify(Base64.getDecoder().decode(signed.path("signature").asString())))
          .isTrue();
      var devices = JsonMapper.builder().build().readTree(reportJson).path("devices");
      assertThat(devices).hasSize(3);
      devices.forEach(d -> assertThat(d.path("status").asString()).isEqualTo("INSTALLED"));
      assertThat(
              jdbc.queryForObject(
                  "select actor from audit_log where action = 'OPERATOR_REPORT_SIGNED'"
                      + " and subject = ?",
                  String.class,
                  orderId))
          .isEqualTo("console:operator");
      assertThat(b.consoleErrors()).isEmpty();
      b.submit("form.logout button");

      // The auditor: reads, verifies the chain, and acts on nothing.
      login(b, AUDITOR_TOKEN);
      assertThat(b.path()).isEqualTo("/console");
      assertThat(b.find(".who").getText()).contains("auditor");
      assertThat(b.all("form[action$='/profiles/import']")).isEmpty();
      assertThat(b.find("#imports").getText()).contains("REFUSED");
      b.go("/console/euiccs");
      assertThat(b.all("form[action$='/euiccs/import']")).isEmpty();
      b.go("/console/batches");
      assertThat(b.all("form[action$='/console/batches']")).isEmpty();
      b.go("/console/orders");
      assertThat(b.all("form[action$='/console/orders']")).isEmpty();
      b.go(orderPath);
      assertThat(b.find("#installed").getText()).isEqualTo("3");
      assertThat(b.all("#bind, #report, #reconciliation form")).isEmpty();
      b.screenshot("keymaker-auditor-order");
      String batch = jdbc.queryForObject("select id::text from batches limit 1", String.class);
      long orders = jdbc.queryForObject("select count(*) from orders", Long.class);
      for (String refused :
          List.of(
              "/console/profiles/import",
              "/console/euiccs/import",
              "/console/batches",
              "/console/batches/" + batch + "/rebind",
              "/console/orders",
              orderPath + "/bind",
              orderPath + "/abandon",
              orderPath + "/report")) {
        assertThat(b.postWithPageToken(refused)).as(refused).isEqualTo(403);
      }
      b.consoleErrors(); // the refused fetches log their 403s, as they should
      assertThat(jdbc.queryForObject("select count(*) from orders", Long.class)).isEqualTo(orders);
      b.go("/console/audit");
      b.submit("#verify");
      assertThat(b.find("[role=status]").getText()).contains("Audit chain intact");
      b.screenshot("keymaker-auditor-audit");
      b.go("/console/health");
      assertThat(b.find("#health").getText()).contains("Database").contains("HSM");
      assertThat(b.consoleErrors()).isEmpty();
      b.submit("form.logout button");
      assertThat(b.path()).isEqualTo("/console/login?logout");
    }
  }

  /**
   * A line: each not yet handled package for one of {@code chips} is installed and reported, but
   * the third chip's first package while {@code chip3Silent}.
   */
  private void installDelivered(
      List<TestChips.Chip> chips,
      X509Certificate bindingCert,
      Set<String> handled,
      AtomicBoolean chip3Silent) {
    for (var e : BROKER.storedPackages().entrySet()) {
      if (handled.contains(e.getKey())) {
        continue;
      }
      String eid =
          jdbc.queryForObject(
              "select eid from outbox where upper(encode(transaction_id, 'hex')) = ?",
              String.class,
              e.getKey().toUpperCase());
      var chip = chips.stream().filter(c -> c.eid().value().equals(eid)).findFirst();
      if (chip.isEmpty()) {
        continue; // another test's package
      }
      if (chip.get() == chips.get(2) && chip3Silent.getAndSet(false)) {
        handled.add(e.getKey());
        continue;
      }
      OpeningResult r =
          BoundProfilePackageOpener.open(e.getValue(), bindingCert, chip.get().euicc());
      try (OpeningResult.Installed ok = (OpeningResult.Installed) r) {
        byte[] pir = chip.get().success(ok.txId(), ok.iccid());
        BROKER.addResult(ok.txId().toHex(), eid, Base64.getEncoder().encodeToString(pir));
      }
      handled.add(e.getKey());
    }
  }

  private static void login(Browser b, String credential) {
    b.go("/console/login");
    b.find("#credential").sendKeys(credential);
    b.submit("form button[type=submit]");
  }
}
