package org.ifpp.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.demo.DemoFlow;
import org.ifpp.demo.DemoOrder;
import org.ifpp.demo.PlainBytesScan;
import org.ifpp.demo.ProfileCopies;
import org.ifpp.demo.services.KeyMakerClient;
import org.ifpp.demo.services.SimulatorClient;
import org.ifpp.line.LineSetup;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.RetryPolicy;
import org.ifpp.line.run.ProductionRun;
import org.ifpp.line.run.RunSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The real flow across the three services, each its own JVM process, on a real PostgreSQL and a
 * real SoftHSM token (IFPP.md section 4): N devices installed through parallel lines, every attack
 * of the threat model rejected, nothing lost when the broker is killed in the middle of a run nor
 * when the lines run over two brokers and one of them dies, and the Key Maker's reconciliation
 * ending with every binding installed or explicitly failed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Three service JVMs start, and a run survives a broker restart: longer than the default 10 m.
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class FactoryEndToEndIT {

  private static final int DEVICES = Integer.getInteger("ifpp.e2e.devices", 50);
  private static final Path PROFILES =
      Path.of(System.getProperty("ifpp.test-data.dir"), "profiles");

  private static E2eStack stack;
  private static Path dir;

  @BeforeAll
  static void startStack() throws Exception {
    // Under target/: the logs stay for a look after a failure, and mvn clean removes them.
    dir = Files.createDirectories(Path.of("target", "e2e")).toAbsolutePath();
    dir = Files.createTempDirectory(dir, "run-");
    stack = new E2eStack(dir, 2, true);
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private static DemoFlow flow(
      int devices, long firstIccid, int warmup, LineSetup.Lines lines, PrintStream out)
      throws Exception {
    Http ops =
        new Http(
            stack.opsClient(),
            new RetryPolicy(
                3, Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofSeconds(1)));
    return new DemoFlow(
        new DemoFlow.Setup(
            new KeyMakerClient(ops, stack.keyMaker.url(), stack.operatorToken),
            new SimulatorClient(ops, stack.simulator.url()),
            lines,
            ProfileCopies.templates(PROFILES),
            devices,
            4,
            2,
            "e2e-" + firstIccid,
            firstIccid,
            null,
            false,
            warmup,
            ProductionRun.ReportBatching.DEFAULT,
            ProductionRun.DEFAULT_CLAIM_BATCH,
            dir.resolve("line-journal-" + firstIccid)),
        out);
  }

  private static LineSetup.Lines lines(int attempts) {
    return stack.lines(attempts, List.of(stack.broker.url()));
  }

  @Test
  @Order(1)
  void wholeFlow_installsEveryDevice_rejectsEveryAttack_andReconciles() throws Exception {
    DemoFlow.Report report =
        flow(DEVICES, 1, 6, lines(5), System.out)
            .order(new DemoOrder(E2eStack.FACTORY, dir.resolve("pki/ci.der"), dir))
            .run();
    assertThat(report.seconds()).as("the untimed warm-up ran first").containsKey("warm-up/flow");

    RunSummary run = report.lineRun();
    assertThat(run.devices()).isEqualTo(DEVICES - 3);
    assertThat(run.installed())
        .as("installed by the lines: %s", run.failures())
        .isEqualTo(DEVICES - 3);
    assertThat(report.attacks())
        .extracting(DemoFlow.Attack::name)
        .containsExactly(
            "replay to the same chip",
            "package of chip 1 pushed into chip 2 (clone)",
            "tampered package (one ciphertext byte flipped)",
            "a false result reported first",
            "finalisation signed by a wrong key",
            "replayed finalisation command",
            "load after production was finalised");
    assertThat(report.attacks())
        .allSatisfy(a -> assertThat(a.rejected()).as(a.name() + ": " + a.outcome()).isTrue());
    assertThat(report.attacks().get(4).outcome()).contains("finalisation-signature-invalid");
    assertThat(report.attacks().get(5).outcome()).contains("finalisation-replayed");
    // Every chip finalised by its signed command, a receipt each (the wrong-key attempt before it
    // changed nothing).
    assertThat(report.finalisation())
        .containsExactly(
            Map.entry("finalised", (long) DEVICES),
            Map.entry("verifiedByKeyMaker", (long) DEVICES));
    // Reconciliation: every binding of the batch is INSTALLED or FAILED (the tampered and the
    // post-finalisation loads came back as signed failures, the false-report victim INSTALLED by
    // its genuine result); none is left in flight.
    assertThat(report.finalStates().getOrDefault("INSTALLED", 0L)).isEqualTo(DEVICES - 2L);
    assertThat(report.finalStates().getOrDefault("FAILED", 0L)).isEqualTo(2L);
    assertThat(report.finalStates().values().stream().mapToLong(Long::longValue).sum())
        .as("every binding is INSTALLED or FAILED: %s", report.finalStates())
        .isEqualTo(DEVICES);
    // The order: its loading report reconciled, the signed operator's report verified up to the
    // Key Maker's CI and kept, every device accounted for; every chip's finalisation proven.
    assertThat(report.seconds())
        .containsKeys("order-loading-report", "on-request", "operator-report");
    DemoOrder.Summary operator = report.operatorReport();
    assertThat(operator.verified()).isTrue();
    assertThat(operator.anchored()).isTrue();
    assertThat(operator.file()).exists();
    assertThat(operator.installed()).isEqualTo(DEVICES - 2L);
    assertThat(operator.failed()).isEqualTo(2L);
    assertThat(operator.unreported()).isZero();
    assertThat(report.orderFinalisation())
        .containsEntry("devices", (long) DEVICES)
        .containsEntry("finalised", (long) DEVICES)
        .containsEntry("notFinalised", 0L);
  }

  @Test
  @Order(2)
  void brokerKilledMidRun_losesNothing() throws Exception {
    int devices = DEVICES;
    // Generous retries: a line keeps trying while the broker restarts (up to a minute or more on
    // a loaded machine); what still fails gets the run's second pass.
    LineSetup.Lines lines = lines(100);
    DemoFlow flow = flow(devices, 100_000, 0, lines, System.out);
    DemoFlow.Prepared prepared = flow.prepare();

    // The broker is killed (SIGKILL) from inside the result callback when a third of the devices
    // are done, so the kill lands mid-run however fast the run is: results arrive in report
    // groups, and polling from outside could see the whole run finished first.
    AtomicInteger done = new AtomicInteger();
    AtomicInteger atKill = new AtomicInteger(-1);
    CountDownLatch killed = new CountDownLatch(1);
    ProductionRun run = new ProductionRun(lines.lines(), lines.chips(), 1);
    CompletableFuture<RunSummary> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return run.run(
                    prepared.eids().stream().map(Eid::new).toList(),
                    r -> {
                      int n = done.incrementAndGet();
                      if (n == devices / 3) {
                        killBroker();
                        atKill.set(n);
                        killed.countDown();
                      }
                    });
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(killed.await(10, TimeUnit.MINUTES)).as("a third of the devices done").isTrue();
    stack.broker.start().awaitReady();
    RunSummary summary = running.get(10, TimeUnit.MINUTES);

    assertThat(atKill.get()).as("the broker died mid-run").isLessThan(devices);
    assertThat(summary.failures()).as("no device lost to the restart").isEmpty();
    assertThat(summary.installed()).isEqualTo(devices);
    assertEveryDeviceInstalledOnceAtKeyMaker(prepared, devices);
  }

  /** Every result reached the Key Maker: nothing lost, nothing counted twice. */
  private static void assertEveryDeviceInstalledOnceAtKeyMaker(
      DemoFlow.Prepared prepared, int devices) {
    KeyMakerClient keyMaker =
        new KeyMakerClient(
            new Http(stack.opsClient(), RetryPolicy.defaults()),
            stack.keyMaker.url(),
            stack.operatorToken);
    KeyMakerClient.Progress p =
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> keyMaker.progress(prepared.batch()), q -> q.state("INSTALLED") >= devices);
    assertThat(p.state("INSTALLED")).as("Key Maker states %s", p.states()).isEqualTo(devices);
    assertThat(p.total()).as("each device once").isEqualTo(devices);
  }

  /**
   * A test that failed while the first broker was down (killed on purpose) must not fail the tests
   * after it: the broker is started again. The second broker stays as its test leaves it.
   */
  @AfterEach
  void firstBrokerRunsAgain() throws Exception {
    if (!stack.broker.running()) {
      stack.broker.start().awaitReady();
    }
  }

  private static void killBroker() {
    try {
      stack.broker.kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Issue 13, item 2: the line driver (its own process) installs every chip while the broker is
   * down, so each signed result is only in the line's journal; it is killed (SIGKILL) while it
   * waits for the broker. Restarted on the same chips with the same journal, it sends every
   * journalled result, programs no chip again, and the Key Maker records each device INSTALLED
   * exactly once.
   */
  @Test
  @Order(3)
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void lineKilledBetweenInstallAndReport_resendsItsJournal_andLosesNothing() throws Exception {
    int devices = 12;
    DemoFlow.Prepared prepared = flow(devices, 200_000, 0, lines(5), System.out).prepare();
    Path work = Files.createDirectories(dir.resolve("line-kill"));
    Path eids = Files.write(work.resolve("eids.txt"), prepared.eids());
    Path credentials =
        Files.writeString(
            work.resolve("lines"),
            stack.lines.get(0).name() + "=" + stack.lines.get(0).secret() + "\n");
    Path journal = work.resolve("journal");
    List<String> command =
        List.of(
            "java",
            "-jar",
            lineJar().toString(),
            "run",
            "--broker=" + stack.broker.url(),
            "--chips=" + stack.simulator.url(),
            "--tls-ca=" + stack.lineTls.trustedCa(),
            "--tls-client-dir=" + stack.lineTls.clientCertificates(),
            "--lines-file=" + credentials,
            "--eids-file=" + eids,
            "--journal-dir=" + journal,
            "--claim-batch=64", // every chip claimed in the first call, before the broker dies
            "--report-batch=100",
            "--report-linger-ms=600000", // nothing reported before the stations are done
            "--attempts=2",
            // Long enough for a cold chip on a loaded machine: a load that timed out before the
            // chip
            // answered is not journalled (the broker's death is seen at once: connection refused).
            "--timeout-ms=30000",
            "--outage-max-wait-ms=1000",
            "--json",
            "--no-progress");
    Path journalFile = journal.resolve(stack.lines.get(0).name() + ".journal");

    Path firstLog = work.resolve("line-first.log");
    Process first = start(command, firstLog);
    try {
      // The first chip's result is journalled: every claim is made, the certificate fetched.
      awaitRecords(journalFile, 1, first, firstLog);
      stack.broker.kill();
      awaitRecords(journalFile, devices, first, firstLog);
      // The line waits for the broker, its results only in the journal.
      await("the line waits through the outage")
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(5))
          .until(first::isAlive);
    } finally {
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no flush, no shutdown hook
    }
    assertThat(Files.readString(firstLog))
        .contains("broker unavailable for a report of " + devices + " results");
    stack.broker.start().awaitReady();

    Process second = start(command, work.resolve("line-second.log"));
    assertThat(second.waitFor(5, TimeUnit.MINUTES)).as("the second run ends").isTrue();
    String out = Files.readString(work.resolve("line-second.log"));
    assertThat(second.exitValue()).as(out).isZero();
    assertThat(out).contains(devices + " result(s) an earlier run left undelivered");
    RunSummary summary =
        org.ifpp.line.http.Json.MAPPER.readValue(
            out.lines().filter(l -> l.startsWith("{\"devices\"")).findFirst().orElseThrow(),
            RunSummary.class);
    assertThat(summary.installed()).isEqualTo(devices);
    assertThat(summary.failures()).isEmpty();
    assertThat(summary.phases().get("install"))
        .as("no chip programmed again: every result came from the journal")
        .isZero();

    KeyMakerClient keyMaker =
        new KeyMakerClient(
            new Http(stack.opsClient(), RetryPolicy.defaults()),
            stack.keyMaker.url(),
            stack.operatorToken);
    KeyMakerClient.Progress p =
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> keyMaker.progress(prepared.batch()), q -> q.state("INSTALLED") >= devices);
    assertThat(p.state("INSTALLED")).as("Key Maker states %s", p.states()).isEqualTo(devices);
    assertThat(p.state("FAILED")).isZero();
    assertThat(p.total()).isEqualTo(devices);
  }

  private static Process start(List<String> command, Path log) throws Exception {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /**
   * Waits until the journal holds {@code n} result records (the line process still alive); on
   * failure the line's log is in the message.
   */
  private static void awaitRecords(Path journal, int n, Process line, Path log) throws Exception {
    try {
      await("the journal holds " + n + " results")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> line.isAlive() && records(journal) >= n);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "the journal holds "
              + records(journal)
              + " of "
              + n
              + " results, the line "
              + (line.isAlive() ? "running" : "ended")
              + "; its log:\n"
              + Files.readString(log),
          e);
    }
    assertThat(line.isAlive()).as("the line process is running").isTrue();
  }

  private static long records(Path journal) throws Exception {
    return Files.exists(journal)
        ? Files.readAllLines(journal).stream().filter(l -> l.startsWith("R ")).count()
        : 0;
  }

  /** factory-line's executable jar, built earlier in the reactor. */
  private static Path lineJar() throws Exception {
    Path target = stack.root.resolve("factory-line/target");
    try (var files = Files.list(target)) {
      return files
          .filter(f -> f.getFileName().toString().matches("factory-line-.*-exec\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no executable jar in " + target));
    }
  }

  /**
   * Two of each (issue 16): the lines spread over two brokers on one database; the second is killed
   * (SIGKILL) when a third of the devices are done and stays dead. Its lines fail over to the first
   * broker at once (no outage wait, no second pass): every device installed, each once.
   */
  @Test
  @Order(4)
  void twoBrokers_oneKilledMidRun_linesFailOver_everyDeviceInstalledOnce() throws Exception {
    int devices = DEVICES;
    ServiceProcess second = stack.broker2;
    LineSetup.Lines lines = stack.lines(5, List.of(stack.broker.url(), second.url()));
    assertThat(lines.lines())
        .extracting(l -> l.broker().brokers().current())
        .as("the lines spread over both brokers")
        .containsExactly(stack.broker.url(), second.url());
    DemoFlow.Prepared prepared = flow(devices, 300_000, 0, lines, System.out).prepare();

    AtomicInteger done = new AtomicInteger();
    AtomicInteger atKill = new AtomicInteger(-1);
    ProductionRun run = new ProductionRun(lines.lines(), lines.chips(), 1);
    RunSummary summary =
        run.run(
            prepared.eids().stream().map(Eid::new).toList(),
            r -> {
              if (done.incrementAndGet() == devices / 3) {
                try {
                  second.kill();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                atKill.set(devices / 3);
              }
            });

    assertThat(atKill.get()).as("the second broker died mid-run").isBetween(1, devices - 1);
    assertThat(summary.failures()).as("no device lost to the dead broker").isEmpty();
    assertThat(summary.installed()).isEqualTo(devices);
    assertEveryDeviceInstalledOnceAtKeyMaker(prepared, devices);
  }

  @Test
  @Order(6)
  void brokerDatabaseAndLogs_holdNoPlainProfileByte() throws Exception {
    Path dump = dir.resolve("broker-dump.sql");
    URI url = URI.create(stack.brokerDb.jdbcUrl().substring("jdbc:".length()));
    ProcessBuilder pb =
        new ProcessBuilder(
                "pg_dump",
                "-h",
                url.getHost(),
                "-p",
                Integer.toString(url.getPort()),
                "-U",
                stack.brokerDb.username(),
                "-d",
                url.getPath().substring(1),
                "-f",
                dump.toString())
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", stack.brokerDb.password());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("pg_dump: %s", out).isZero();
    assertThat(Files.size(dump)).as("the dump holds the packages").isGreaterThan(100_000L);

    for (byte[] profile : ProfileCopies.templates(PROFILES)) {
      List<PlainBytesScan.Hit> hits =
          new PlainBytesScan(profile, 32, 8).scan(List.of(dump, dir.resolve("logs")));
      assertThat(hits).isEmpty();
    }
  }

  /**
   * {@code ./ifpp chip} (the simulator's jar with {@code ChipCommand} as main class, as the {@code
   * ifpp} script runs it) on the state directory the run leaves, once the simulator has stopped: it
   * lists every chip, and plays one as a card over the stdio APDU protocol.
   */
  @Test
  @Order(5)
  void chipCommand_listsTheRunsChips_andPlaysOneAsACard_onTheStateItLeaves() throws Exception {
    stack.simulator.stop();
    Path state = dir.resolve("euicc-state");
    ChipRun list = chip("", "--state-dir", state.toString(), "--list");
    assertThat(list.exit()).as(list.output()).isZero();
    List<String> chips = list.output().lines().filter(l -> l.matches("\\d{32}  .*")).toList();
    assertThat(chips).as(list.output()).hasSizeGreaterThanOrEqualTo(DEVICES);
    // the first run's chips are finalised, each with its profile
    String finalised = "\\d{32}  field  one-time-keys=0  iccids=\\d{19,20}\\S*";
    assertThat(chips.stream().filter(l -> l.matches(finalised)).count())
        .as(list.output())
        .isGreaterThanOrEqualTo(DEVICES - 3L);
    String eid = chips.stream().filter(l -> l.matches(finalised)).findFirst().orElseThrow();
    eid = eid.substring(0, 32);
    String requests =
        String.join(
            "\n",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"connect\",\"param\":\"\"}}",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"logic_channel_open\","
                + "\"param\":\"A0000005591010FFFFFFFF8900000100\"}}",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"transmit\","
                + "\"param\":\"81E2910006BF3E035C015A00\"}}",
            "{\"type\":\"apdu\",\"payload\":{\"func\":\"disconnect\",\"param\":\"\"}}",
            "");
    ChipRun card = chip(requests, "--state-dir", state.toString(), "--eid", eid, "--stdio");
    assertThat(card.exit()).as(card.output()).isZero();
    assertThat(card.output()).contains("\"data\":\"BF3E125A10" + eid + "9000\"");
  }

  private record ChipRun(int exit, String output) {}

  private static ChipRun chip(String stdin, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dloader.main=org.ifpp.euicc.card.cli.ChipCommand",
                "-cp",
                stack.jar("euicc-simulator").toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes());
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("ifpp chip " + String.join(" ", args) + " did not end");
    }
    return new ChipRun(p.exitValue(), out.get(30, TimeUnit.SECONDS));
  }
}
