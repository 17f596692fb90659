package org.ifpp.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.demo.DemoFlow;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real flow across the three services, each its own JVM process, on a real PostgreSQL and a
 * real SoftHSM token (IFPP.md section 4): N devices installed through parallel lines, every attack
 * of the threat model rejected, nothing lost when the broker is killed in the middle of a run, and
 * the Key Maker's reconciliation ending with every binding installed or explicitly failed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    stack = new E2eStack(dir, 2);
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
            Http.newClient(Duration.ofSeconds(5)),
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
            ProductionRun.DEFAULT_CLAIM_BATCH),
        out);
  }

  private static LineSetup.Lines lines(int attempts) {
    return LineSetup.build(
        stack.broker.url(),
        stack.simulator.url(),
        stack.lines,
        "bearer",
        attempts,
        Duration.ofSeconds(5),
        false);
  }

  @Test
  @Order(1)
  void wholeFlow_installsEveryDevice_rejectsEveryAttack_andReconciles() throws Exception {
    DemoFlow.Report report = flow(DEVICES, 1, 6, lines(5), System.out).run();
    assertThat(report.seconds()).as("the untimed warm-up ran first").containsKey("warm-up/flow");

    RunSummary run = report.lineRun();
    assertThat(run.devices()).isEqualTo(DEVICES - 2);
    assertThat(run.installed())
        .as("installed by the lines: %s", run.failures())
        .isEqualTo(DEVICES - 2);
    assertThat(report.attacks())
        .extracting(DemoFlow.Attack::name)
        .containsExactly(
            "replay to the same chip",
            "package of chip 1 pushed into chip 2 (clone)",
            "tampered package (one ciphertext byte flipped)",
            "load after production was finalised");
    assertThat(report.attacks())
        .allSatisfy(a -> assertThat(a.rejected()).as(a.name() + ": " + a.outcome()).isTrue());
    // Reconciliation: every binding of the batch is INSTALLED or FAILED (the tampered and the
    // post-finalisation loads came back as signed failures); none is left in flight.
    assertThat(report.finalStates().getOrDefault("INSTALLED", 0L)).isEqualTo(DEVICES - 2L);
    assertThat(report.finalStates().getOrDefault("FAILED", 0L)).isEqualTo(2L);
    assertThat(report.finalStates().values().stream().mapToLong(Long::longValue).sum())
        .as("every binding is INSTALLED or FAILED: %s", report.finalStates())
        .isEqualTo(DEVICES);
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

    AtomicInteger done = new AtomicInteger();
    ProductionRun run = new ProductionRun(lines.lines(), lines.chips(), 1);
    CompletableFuture<RunSummary> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return run.run(prepared.eids(), r -> done.incrementAndGet());
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    while (done.get() < devices / 3 && !running.isDone()) {
      Thread.sleep(20);
    }
    stack.broker.kill(); // SIGKILL in the middle of claims and reports
    int atKill = done.get();
    stack.broker.start().awaitReady(Duration.ofSeconds(180));
    RunSummary summary = running.get(10, TimeUnit.MINUTES);

    assertThat(atKill).as("the broker died mid-run").isLessThan(devices);
    assertThat(summary.failures()).as("no device lost to the restart").isEmpty();
    assertThat(summary.installed()).isEqualTo(devices);
    // Every result reached the Key Maker: nothing lost, nothing counted twice.
    KeyMakerClient keyMaker =
        new KeyMakerClient(
            new Http(Http.newClient(Duration.ofSeconds(5)), RetryPolicy.defaults()),
            stack.keyMaker.url(),
            stack.operatorToken);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    KeyMakerClient.Progress p = keyMaker.progress(prepared.batch());
    while (p.state("INSTALLED") < devices && System.nanoTime() < deadline) {
      Thread.sleep(250);
      p = keyMaker.progress(prepared.batch());
    }
    assertThat(p.state("INSTALLED")).as("Key Maker states %s", p.states()).isEqualTo(devices);
    assertThat(p.total()).isEqualTo(devices);
  }

  @Test
  @Order(3)
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
}
