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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.ifpp.crypto.bpp.BoundProfilePackageOpener;
import org.ifpp.crypto.bpp.OpeningResult;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.testing.BrokerStub;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.ifpp.keymaker.testing.TestProfiles;
import org.ifpp.testsupport.Browser;
import org.junit.jupiter.api.Test;
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
class KeymakerConsoleBrowserIT {

  static final BrokerStub BROKER = BindingFlowBroker.start();

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
    registry.add("keymaker.broker.base-url", BROKER::baseUrl);
    registry.add("keymaker.broker.token", () -> BrokerStub.TOKEN);
    registry.add("keymaker.broker.results-interval", () -> "200ms");
  }

  @Value("${local.server.port}")
  int port;

  @Autowired JdbcTemplate jdbc;
  @Autowired HsmSigner signer;

  @Test
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
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!(b.find("#installed").getText().equals("2") && handled.size() >= 4)) {
        assertThat(System.nanoTime())
            .as("two installed, one failure, one silent")
            .isLessThan(deadline);
        line.run();
        Thread.sleep(100);
      }
      // The failed device and the unreported one, in the reconciliation view (after a refresh).
      b.go(b.path());
      String table = b.find("#reconciliation").getText();
      assertThat(table).contains("FAILED").contains("INSTALL_FAILED_DUE_TO_ICCID_ALREADY_EXISTS");
      assertThat(table).contains("UNREPORTED").contains(chips.get(2).eid().value());
      b.screenshot("keymaker-reconciliation");
      assertThat(b.submitConfirmed("#reconciliation form button")).contains("re-bind");
      assertThat(b.find("[role=status]").getText()).contains("being re-bound");

      // The line keeps running; the page follows without a reload until 100%.
      deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!b.find("#percent-done").getText().equals("100")) {
        assertThat(System.nanoTime()).as("batch done").isLessThan(deadline);
        line.run();
        Thread.sleep(200);
      }
      assertThat(b.find("#installed").getText()).isEqualTo("3");
      assertThat(b.find("#live-status").getText()).isEqualTo("live");
      Thread.sleep(2500); // a few chart points
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

  private static void login(Browser b, String credential) {
    b.go("/console/login");
    b.find("#credential").sendKeys(credential);
    b.submit("form button[type=submit]");
  }

  /** The broker stub of this test (started once, before the context). */
  static final class BindingFlowBroker {
    static BrokerStub start() {
      try {
        return BrokerStub.start();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
