package org.ifpp.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.demo.DemoFlow;
import org.ifpp.demo.ProfileCopies;
import org.ifpp.demo.services.KeyMakerClient;
import org.ifpp.demo.services.SimulatorClient;
import org.ifpp.line.LineSetup;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.chip.LoadOutcome;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.RetryPolicy;
import org.ifpp.line.run.ProductionRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A false or mistaken result reported first never blocks or overwrites the chip's genuine signed
 * result, through the real broker and Key Maker (issue 13, item 1): the broker keeps every report
 * of a package, the Key Maker rejects what the right chip did not sign and takes a verified success
 * as final.
 */
@Timeout(900)
class FalseReportFirstIT {

  private static final Path PROFILES =
      Path.of(System.getProperty("ifpp.test-data.dir"), "profiles");

  private static E2eStack stack;
  private static KeyMakerClient keyMaker;
  private static BrokerClient line;
  private static ChipClient chips;
  private static String batch;
  private static List<Eid> eids;

  @BeforeAll
  static void startStackAndBind() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "e2e")).toAbsolutePath();
    stack = new E2eStack(Files.createTempDirectory(dir, "false-report-"), 1);
    Http ops =
        new Http(
            stack.opsClient(),
            new RetryPolicy(
                3, Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofSeconds(1)));
    keyMaker = new KeyMakerClient(ops, stack.keyMaker.url(), stack.operatorToken);
    LineSetup.Lines lines = stack.lines(5, List.of(stack.broker.url()));
    DemoFlow.Prepared prepared =
        new DemoFlow(
                new DemoFlow.Setup(
                    keyMaker,
                    new SimulatorClient(ops, stack.simulator.url()),
                    lines,
                    ProfileCopies.templates(PROFILES),
                    4,
                    4,
                    1,
                    "false-report",
                    500_000,
                    null,
                    false,
                    0,
                    ProductionRun.ReportBatching.DEFAULT,
                    ProductionRun.DEFAULT_CLAIM_BATCH,
                    stack.dir.resolve("line-journal")),
                System.out)
            .prepare();
    batch = prepared.batch();
    eids = prepared.eids().stream().map(Eid::new).toList();
    line = lines.lines().get(0).broker();
    chips = lines.chips();
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private static long state(String name) {
    return keyMaker.progress(batch).state(name);
  }

  /** The Key Maker's audit head: it moves when the Key Maker has decided on a pulled result. */
  private static long auditHead() throws Exception {
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .sslContext(stack.lineTls.serverOnly())
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(stack.keyMaker.url() + "/api/v1/audit/head"))
                    .header("Authorization", "Bearer " + stack.operatorToken)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    String body = r.body();
    int at = body.indexOf("\"seq\":") + 6;
    return Long.parseLong(body.substring(at, body.indexOf(',', at)).strip());
  }

  /** Reports a false result and waits until the Key Maker has decided on it: nothing changed. */
  private static void reportFalseAndSeeItRejected(Claim claim, boolean installed, byte[] pir)
      throws Exception {
    long bound = state("BOUND");
    long head = auditHead();
    line.report(claim, installed, pir); // the broker keeps it: it cannot check the signature
    await().atMost(Duration.ofSeconds(60)).until(() -> auditHead() > head);
    assertThat(state("BOUND")).as("the false result changed no binding").isEqualTo(bound);
    assertThat(state("FAILED")).isZero();
  }

  private static void reportGenuineAndSeeItInstalled(Claim claim, byte[] pir) {
    long installed = state("INSTALLED");
    line.report(claim, true, pir); // not 409: an earlier report never blocks a later one
    await().atMost(Duration.ofSeconds(60)).until(() -> state("INSTALLED") == installed + 1);
  }

  @Test
  void cloneRefusalReportedFirst_thenTheGenuineSuccess_isInstalled() throws Exception {
    Claim claim = line.claim(eids.get(0));
    byte[] pkg = line.download(claim);
    byte[] cert = line.bindingCertificate(claim);
    // Chip 0's package pushed into chip 1: chip 1 refuses and signs its refusal.
    LoadOutcome clone = chips.load(eids.get(1), pkg, cert);
    assertThat(clone.installed()).isFalse();
    assertThat(clone.hasSignedResult()).isTrue();
    reportFalseAndSeeItRejected(claim, false, clone.pir());

    LoadOutcome genuine = chips.load(eids.get(0), pkg, cert);
    assertThat(genuine.installed()).as(genuine.reason()).isTrue();
    reportGenuineAndSeeItInstalled(claim, genuine.pir());
  }

  @Test
  void flippedSignatureByteReportedFirst_thenTheGenuineSuccess_isInstalled() throws Exception {
    Claim claim = line.claim(eids.get(2));
    byte[] pkg = line.download(claim);
    LoadOutcome genuine = chips.load(eids.get(2), pkg, line.bindingCertificate(claim));
    assertThat(genuine.installed()).as(genuine.reason()).isTrue();
    byte[] flipped = genuine.pir().clone();
    flipped[flipped.length - 1] ^= 0x01; // inside the eUICC's signature: still well-formed
    reportFalseAndSeeItRejected(claim, true, flipped);

    reportGenuineAndSeeItInstalled(claim, genuine.pir());
  }

  @Test
  void genuineFailureReportedFirst_thenTheGenuineSuccess_isInstalledAfterAll() throws Exception {
    Claim claim = line.claim(eids.get(3));
    byte[] pkg = line.download(claim);
    byte[] cert = line.bindingCertificate(claim);
    LoadOutcome success = chips.load(eids.get(3), pkg, cert);
    assertThat(success.installed()).as(success.reason()).isTrue();
    // The same package pushed again: the chip refuses it (its one-time key is used) and signs
    // that refusal, a genuine failure result for the same transaction.
    LoadOutcome again = chips.load(eids.get(3), pkg, cert);
    assertThat(again.installed()).isFalse();
    assertThat(again.hasSignedResult()).isTrue();
    long failed = state("FAILED");
    line.report(claim, false, again.pir());
    await().atMost(Duration.ofSeconds(60)).until(() -> state("FAILED") == failed + 1);

    // The success reaches the broker later (a station's journal, a retry): it is final.
    reportGenuineAndSeeItInstalled(claim, success.pir());
    assertThat(state("FAILED")).isEqualTo(failed);
    assertThat(keyMaker.verifyAudit().get("intact").asBoolean()).isTrue();
  }
}
