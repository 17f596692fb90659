package org.ifpp.broker.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.testsupport.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker's console in a real browser (headless Chromium): a line's and the Key Maker's
 * credentials are refused, the supervisor logs in, watches a line claim and report live (its row
 * and per-minute charts update without a reload), sees the failures, purges a batch after the
 * confirmation, is refused a POST without the CSRF token, and logs out. No page logs a console
 * error, and no page shows a package's bytes. Screenshots: target/console-screenshots/.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BrokerConsoleBrowserIT extends BrokerItSupport {

  @Test
  void supervisorWatchesTheLinesAndPurges_linesAndKeyMakerAreRefused() throws Exception {
    String factory = unique("F");
    String lineName = unique("L");
    String line = createLine(factory, lineName);
    String supervisor = createClient(unique("supervisor"), "supervise", null, null);
    List<Pkg> pkgs = packages(12, 200);
    String running = unique("B");
    assertThat(upload(running, factory, pkgs.subList(0, 8)).status()).isEqualTo(201);
    String leftover = unique("B");
    assertThat(upload(leftover, factory, pkgs.subList(8, 12)).status()).isEqualTo(201);

    try (Browser b = Browser.open("http://localhost:" + port)) {
      b.go("/console");
      assertThat(b.path()).startsWith("/console/login");
      for (String refused : List.of(line, KEYMAKER_TOKEN)) {
        login(b, refused);
        assertThat(b.path()).isEqualTo("/console/login?error");
      }
      b.screenshot("broker-login");
      login(b, supervisor);
      assertThat(b.path()).isEqualTo("/console");

      // The line runs: one package claimed and reported every 700 ms, every third one failed.
      AtomicInteger next = new AtomicInteger();
      ScheduledExecutorService lineThread = Executors.newSingleThreadScheduledExecutor();
      lineThread.scheduleWithFixedDelay(
          () -> {
            int i = next.getAndIncrement();
            if (i < 8) {
              Pkg p = pkgs.get(i);
              claim(line, p.eid());
              boolean ok = i % 3 != 2;
              report(
                  line,
                  p.tx(),
                  ok ? "installed" : "failed",
                  TestPackages.installationResult(p.tx(), ok, new Random()));
            }
          },
          0,
          700,
          TimeUnit.MILLISECONDS);
      try {
        String row = "#lines tr[data-line='" + lineName + "'] [data-col='installed']";
        b.until(
            Duration.ofSeconds(60),
            "the line's installs, live",
            () -> !b.all(row).isEmpty() && Integer.parseInt(b.find(row).getText()) >= 4);
        b.screenshot("broker-lines"); // while the line runs: its rates on the charts
        b.until(
            Duration.ofSeconds(60),
            "the line's installs, live",
            () -> !b.all(row).isEmpty() && b.find(row).getText().equals("6"));
      } finally {
        lineThread.shutdownNow();
      }
      assertThat(b.find("#lines tr[data-line='" + lineName + "'] [data-col='failed']").getText())
          .isEqualTo("2");
      assertThat(b.find("#live-status").getText()).isEqualTo("live");
      b.go("/console");
      assertThat(b.find("#failures").getText()).contains(lineName);

      // Per batch: available, claimed, reported; purge the leftover after the confirmation.
      b.go("/console/batches");
      assertThat(b.find("#batches").getText()).contains(running).contains(leftover);
      assertThat(b.submitConfirmed("button[aria-label='Purge batch " + leftover + "']"))
          .contains("4 unclaimed package(s)");
      assertThat(b.find("[role=status]").getText()).contains("4 unclaimed package(s) purged");
      b.screenshot("broker-batches");
      assertThat(b.driver().getPageSource()).doesNotContain(TestPackages.b64(pkgs.get(0).bpp()));
      assertThat(b.consoleErrors()).isEmpty();

      assertThat(b.fetchStatus("POST", "/console/batches/purge?batchId=" + running)).isEqualTo(403);
      b.consoleErrors(); // the refused fetch logs its 403, as it should

      b.submit("form.logout button");
      assertThat(b.path()).isEqualTo("/console/login?logout");
      b.go("/console/batches");
      assertThat(b.path()).startsWith("/console/login");
      assertThat(b.consoleErrors()).isEmpty();
    }
  }

  private static void login(Browser b, String credential) {
    b.go("/console/login");
    b.find("#credential").sendKeys(credential);
    b.submit("form button[type=submit]");
  }
}
