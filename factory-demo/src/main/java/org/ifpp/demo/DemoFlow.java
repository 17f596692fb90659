package org.ifpp.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.demo.services.KeyMakerClient;
import org.ifpp.demo.services.SimulatorClient;
import org.ifpp.line.LineSetup;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.chip.ChipStations;
import org.ifpp.line.chip.ChipTransport;
import org.ifpp.line.chip.ChipUnavailableException;
import org.ifpp.line.chip.LoadOutcome;
import org.ifpp.line.finalise.FinalisationRun;
import org.ifpp.line.http.HttpCallException;
import org.ifpp.line.run.Backoff;
import org.ifpp.line.run.LineWorker;
import org.ifpp.line.run.ProductionRun;
import org.ifpp.line.run.ProgressBar;
import org.ifpp.line.run.RunSummary;

/**
 * The whole IFPP flow of IFPP.md section 4 against three running services, and the attacks of the
 * threat model, each with its outcome: used by the demo, by docker compose's orchestrator and by
 * the end-to-end test.
 *
 * <ol>
 *   <li>profiles imported (distinct ICCIDs), chips manufactured, their eUICC data imported;
 *   <li>one binding batch for all chips, followed until every package reached the broker;
 *   <li>the lines program every chip but three (kept for the attacks);
 *   <li>attacks: replay to the same chip, the same package on another chip (clone), a tampered
 *       package, a false result reported first, a finalisation signed by a wrong key;
 *   <li>the device maker's finalisation step (signed command per chip, signed receipts), then the
 *       attacks after it: the finalisation command replayed, a load after production was finalised;
 *   <li>the Key Maker pulls the loading report until every result is in.
 * </ol>
 *
 * <p>With {@code warmupDevices} the timed flow follows an untimed one on that many other chips and
 * profiles through the same steps (binding, the lines, the loading report): the services' JIT
 * compilers then do most of their work before the timed window, as in a factory that has been
 * producing for a while, instead of inside it (docs/benchmarks.md section 5).
 */
public final class DemoFlow {

  /** What the flow needs from outside. */
  public record Setup(
      KeyMakerClient keyMaker,
      SimulatorClient simulator,
      LineSetup.Lines lines,
      List<byte[]> templates,
      int devices,
      int oneTimeKeysPerChip,
      int stationsPerLine,
      String pool,
      long firstIccid,
      String processes,
      boolean overlap,
      int warmupDevices,
      ProductionRun.ReportBatching reportBatching,
      int claimBatch,
      java.nio.file.Path journalDirectory) {}

  /** One attack and what happened. */
  public record Attack(String name, boolean rejected, String outcome) {}

  /** The flow's figures and verdicts. */
  public record Report(
      int devices,
      Map<String, Double> seconds,
      Map<String, Map<String, Double>> cpuSeconds,
      double bindingsPerSecond,
      RunSummary lineRun,
      List<Attack> attacks,
      Map<String, Long> finalStates,
      double endToEndDevicesPerSecond,
      Map<String, Long> finalisation,
      String orderId,
      DemoOrder.Summary operatorReport,
      Map<String, Long> orderFinalisation) {

    public boolean allAttacksRejected() {
      return attacks.stream().allMatch(Attack::rejected);
    }

    /** Without an order, true; with one, its signed operator's report verified. */
    public boolean operatorReportVerified() {
      return orderId == null || (operatorReport != null && operatorReport.verified());
    }
  }

  private final Setup setup;
  private final PrintStream out;
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private final Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
  private final CpuClock cpuClock;
  private ChipStations stations;
  private final DemoFinalisation finalisation = new DemoFinalisation();
  private Map<String, Double> cpuMark;
  private DemoOrder order;

  public DemoFlow(Setup setup, PrintStream out) {
    this.setup = setup;
    this.out = out;
    this.cpuClock = CpuClock.parse(setup.processes());
    this.cpuMark = cpuClock.now();
    this.stations = ChipStations.shared(setup.lines().chips());
  }

  /**
   * The lines' and the attacks' way to the chips: by default the simulator's HTTP API; over PC/SC
   * one reader per station, the attacks through the first station's reader.
   */
  public DemoFlow chipStations(ChipStations chipStations) {
    this.stations = chipStations;
    return this;
  }

  /**
   * Runs the flow from a production order (SGP.41): the chips are bound under an order, the line
   * submits the order's loading report, the Key Maker reconciles it, and the signed operator's
   * report is downloaded, verified and summed up with the order's finalisation view.
   */
  public DemoFlow order(DemoOrder demoOrder) {
    this.order = demoOrder;
    return this;
  }

  /**
   * Chips made, profiles imported, one batch bound and delivered to the broker.
   *
   * @param orderId the production order the batch runs under, or null
   */
  public record Prepared(
      String batch, List<String> eids, double bindSeconds, long bindStartNanos, String orderId) {}

  /** Binds {@code eids}: under a new production order if the flow has one. */
  private String[] bind(List<String> eids) {
    if (order == null) {
      return new String[] {null, setup.keyMaker().bind(setup.pool(), eids)};
    }
    return order.createAndBind(setup.keyMaker(), setup.pool(), eids);
  }

  /** Steps 1 and 2: profiles, chips, eUICC data, binding until every package is at the broker. */
  public Prepared prepare() throws InterruptedException {
    List<String> eids = makeChips(setup.devices(), setup.firstIccid(), "");
    // 2. Binding, until every package is at the broker.
    long t = System.nanoTime();
    String[] bound = bind(eids);
    String batch = bound[1];
    KeyMakerClient.Progress progress = waitFor(batch, p -> p.delivered() >= p.total(), 600);
    double bindSeconds = (System.nanoTime() - t) / 1e9;
    lap(
        "binding",
        t,
        "%sbatch %s: %d bound, signed and delivered to the broker",
        bound[0] == null ? "" : "production order " + bound[0] + ", ",
        batch,
        progress.delivered());
    return new Prepared(batch, eids, bindSeconds, t, bound[0]);
  }

  /**
   * Step 1: {@code n} profiles imported (ICCIDs from {@code firstIccid}), chips manufactured, their
   * eUICC data in the Key Maker; each step's lap named with {@code lapPrefix}.
   */
  private List<String> makeChips(int n, long firstIccid, String lapPrefix) {
    // 1. Profiles, chips, eUICC data.
    long t = System.nanoTime();
    List<ProfileCopies.Profile> profiles =
        ProfileCopies.generate(setup.templates(), n, "8949449999", firstIccid);
    for (int i = 0; i < n; i += 200) {
      List<byte[]> chunk = new ArrayList<>();
      profiles.subList(i, Math.min(n, i + 200)).forEach(p -> chunk.add(p.der()));
      setup.keyMaker().importProfiles(setup.pool(), chunk);
    }
    lap(
        lapPrefix + "import-profiles",
        t,
        "%d TS.48 profiles imported (distinct ICCIDs %s..%s)",
        n,
        profiles.get(0).iccid(),
        profiles.get(n - 1).iccid());

    t = System.nanoTime();
    List<String> eids = new ArrayList<>(n);
    for (int i = 0; i < n; i += 5000) {
      eids.addAll(
          setup
              .simulator()
              .manufacture(
                  Math.min(5000, n - i),
                  setup.oneTimeKeysPerChip(),
                  finalisation.certificateBase64()));
    }
    lap(
        lapPrefix + "manufacture",
        t,
        "%d chips manufactured, %d one-time keys each",
        eids.size(),
        setup.oneTimeKeysPerChip());

    t = System.nanoTime();
    for (int i = 0; i < n; i += 500) {
      List<String> chunk = eids.subList(i, Math.min(n, i + 500));
      setup.keyMaker().importEuiccData(setup.simulator().exportEuiccData(chunk));
    }
    lap(
        lapPrefix + "import-euicc-data",
        t,
        "eUICC data of %d chips exported by the EUM, verified and imported (DPFF10)",
        n);
    return eids;
  }

  /**
   * Follows a batch's delivery in the background: until every package is at the broker, a line that
   * reaches a chip before its package claims it again a little later.
   */
  private final class DeliveryWatch implements LineWorker.PackageArrival {
    private final String batch;
    private final long start;
    private volatile boolean done;
    private volatile long doneNanos;
    private volatile RuntimeException failure;
    private final Thread thread;

    DeliveryWatch(String batch, long start) {
      this.batch = batch;
      this.start = start;
      this.thread = new Thread(this::watch, "delivery-watch");
      thread.setDaemon(true);
      thread.start();
    }

    private void watch() {
      try {
        // Once a second: each look is a count over the batch in the Key Maker and PostgreSQL, and
        // it only ends the lines' waiting for late packages.
        waitFor(batch, p -> p.delivered() >= p.total(), 600, 1000);
        doneNanos = System.nanoTime();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failure = e;
      } finally {
        done = true;
      }
    }

    @Override
    public boolean mayStillArrive() {
      return !done;
    }

    /** Seconds from the binding request until every package was at the broker. */
    double seconds() throws InterruptedException {
      thread.join();
      if (failure != null) {
        throw failure;
      }
      return (doneNanos - start) / 1e9;
    }
  }

  /**
   * The whole flow: profiles, chips, binding, the lines, the loading report, the attacks. With
   * {@code overlap} the lines start as soon as the first packages are at the broker, while the Key
   * Maker still binds and delivers the rest, as a factory's lines would; otherwise they start when
   * the whole batch is delivered ({@link #prepare()}).
   */
  public Report run() throws InterruptedException {
    if (setup.warmupDevices() > 0) {
      warmUp(setup.warmupDevices());
    }
    Prepared prepared;
    DeliveryWatch watch = null;
    if (setup.overlap()) {
      List<String> chips = makeChips(setup.devices(), setup.firstIccid(), "");
      long t = System.nanoTime();
      String[] bound = bind(chips);
      String batch = bound[1];
      KeyMakerClient.Progress first = waitFor(batch, p -> p.delivered() > 0, 600);
      watch = new DeliveryWatch(batch, t);
      lap(
          "binding-first-packages",
          t,
          "batch %s: the first %d packages at the broker; the lines start, the Key Maker goes on",
          batch,
          first.delivered());
      prepared = new Prepared(batch, chips, 0, t, bound[0]);
    } else {
      prepared = prepare();
    }
    int n = setup.devices();
    List<Eid> ids = prepared.eids().stream().map(Eid::new).toList();
    String batch = prepared.batch();

    // 3. The lines, on all chips but the last three (kept for the false-report, tamper and
    // finalise attacks).
    Eid falseReportEid = ids.get(n - 3);
    Eid tamperEid = ids.get(n - 2);
    Eid lateEid = ids.get(n - 1);
    Map<Eid, byte[][]> kept = new ConcurrentHashMap<>();
    List<Eid> onLine = ids.subList(0, n - 3);
    ProductionRun run =
        new ProductionRun(
            setup.lines().lines(),
            stations,
            setup.stationsPerLine(),
            (claim, pkg, cert) -> {
              if (claim.eid().equals(ids.get(0))) {
                kept.put(claim.eid(), new byte[][] {pkg, cert});
              }
            },
            watch == null ? LineWorker.PackageArrival.NONE : watch,
            setup.reportBatching(),
            setup.claimBatch(),
            setup.journalDirectory(),
            Backoff.DEFAULT);
    long t = System.nanoTime();
    RunSummary summary;
    try (ProgressBar bar = new ProgressBar(System.err, onLine.size(), System.console() != null)) {
      summary = run.run(onLine, bar::record);
    }
    lap(
        watch == null ? "lines" : "binding-and-lines",
        t,
        "%d line(s): %s",
        setup.lines().lines().size(),
        summary.toText().strip().replace(System.lineSeparator(), "; "));
    double bindSeconds = prepared.bindSeconds();
    if (watch != null) {
      bindSeconds = round(watch.seconds());
      seconds.put("binding", bindSeconds);
      out.printf(
          "              binding: all %d packages at the broker %.2f s after the binding request"
              + " (%.0f/s), while the lines ran%n",
          n, bindSeconds, n / bindSeconds);
    }

    // 4. The loading report of the line run back in the Key Maker: the whole factory's figure ends
    // here, when the Key Maker holds every device's verified result (attacks and finalisation
    // below are demonstrations, not production).
    t = System.nanoTime();
    long lineResults = summary.installed() + summary.failed();
    waitFor(batch, p -> p.state("INSTALLED") + p.state("FAILED") >= lineResults, 120);
    double e2e = (System.nanoTime() - prepared.bindStartNanos()) / 1e9;
    lap(
        "loading-report",
        t,
        "loading report: %d line results verified in the Key Maker; %d devices in %.1f s from the"
            + " binding request",
        lineResults,
        summary.installed(),
        e2e);

    // 4b. The order's loading report (ESBPP03): the line writes it from its journals, every device
    // of the order (the three held back for the attacks: not attempted by the lines), and submits
    // it through the broker; the Key Maker pulls and reconciles it.
    String orderId = prepared.orderId();
    if (orderId != null) {
      t = System.nanoTime();
      org.ifpp.line.report.LoadingReport loadingReport =
          DemoOrder.submit(
              setup.lines().lines().get(0).broker(), orderId, ids, run.journalDirectory());
      DemoOrder.awaitReconciled(setup.keyMaker(), orderId, 120);
      lap(
          "order-loading-report",
          t,
          "order %s: the line's loading report of %d devices %s submitted through the broker and"
              + " reconciled by the Key Maker",
          orderId,
          loadingReport.devices().size(),
          loadingReport.counts());
    }

    ChipTransport chips = stations.station(0, 0);
    // 4c. Binding on request (ESBPP02): a line asks the broker for a few extra chips' packages,
    // sending their eUICC data; the accepted chips' packages are installed, the others refused
    // with their reasons.
    if (orderId != null) {
      t = System.nanoTime();
      DemoOnRequest.Outcome onRequest =
          DemoOnRequest.run(
              setup.keyMaker(),
              setup.simulator(),
              setup.templates(),
              setup.pool(),
              order.factory(),
              setup.firstIccid() + setup.devices() + setup.warmupDevices(),
              setup.lines().lines().get(0).broker(),
              chips);
      lap(
          "on-request",
          t,
          "binding on request, order %s: a line asked the broker for 4 chips' packages with their"
              + " eUICC data; %d bound, claimed, loaded with the named one-time key and installed;"
              + " refused: %s",
          onRequest.orderId(),
          onRequest.installed(),
          onRequest.refused());
    }

    // 5. Attacks.
    List<Attack> attacks = new ArrayList<>();
    byte[][] first = kept.get(ids.get(0));
    if (first == null) {
      attacks.add(
          new Attack("replay", false, "no package was captured: chip 1 was not programmed"));
    } else {
      attacks.add(
          attack("replay to the same chip", () -> chips.load(ids.get(0), first[0], first[1])));
      attacks.add(
          attack(
              "package of chip 1 pushed into chip 2 (clone)",
              () -> chips.load(ids.get(1), first[0], first[1])));
    }
    BrokerClient line = setup.lines().lines().get(0).broker();
    attacks.add(
        claimAndLoad(
            "tampered package (one ciphertext byte flipped)", line, chips, tamperEid, true));
    attacks.add(falseResultFirst(line, chips, falseReportEid, ids.get(1), batch));
    attacks.add(finalisation.wrongKey(setup.lines().chips(), lateEid));
    // 6. The device maker's finalisation step: a signed command per chip, a signed receipt back
    // (through the simulator's REST endpoint whatever the chip transport: the card has no
    // finalisation command yet, docs/finalisation.md section 5).
    t = System.nanoTime();
    FinalisationRun.Summary finalised =
        finalisation.finalise(
            setup.lines().chips(), ids, setup.stationsPerLine() * setup.lines().lines().size());
    lap(
        "finalisation",
        t,
        "production finalised by signed command: %s (unused one-time keys wiped, IFPP locked,"
            + " a signed receipt each)",
        finalised.toText());
    // The receipts to the broker (the line's credential), which keeps them for the Key Maker; the
    // Key Maker pulls them, verifies each with its chip's certificate and shows the batch's chips
    // finalised or not.
    t = System.nanoTime();
    int handed = line.reportFinalisationReceipts(FinalisationRun.receiptsDocument(finalised));
    long verified = waitForFinalised(batch, finalised.finalised(), 120);
    lap(
        "finalisation-receipts",
        t,
        "receipts: %d handed to the broker; batch %s: %d of %d chips proved their finalisation to"
            + " the Key Maker (receipts verified)",
        handed,
        batch,
        verified,
        n);
    attacks.add(finalisation.replay(setup.lines().chips(), ids.get(0)));
    attacks.add(claimAndLoad("load after production was finalised", line, chips, lateEid, false));
    for (Attack a : attacks) {
      out.printf(
          "   attack: %-48s %s (%s)%n",
          a.name(), a.rejected() ? "REJECTED" : "ACCEPTED!", a.outcome());
    }

    // 7. Reconciliation: the attacks' signed results too.
    t = System.nanoTime();
    long reported =
        summary.installed()
            + attacks.stream().filter(a -> a.outcome().contains("reported")).count();
    KeyMakerClient.Progress end =
        waitFor(batch, p -> p.state("INSTALLED") + p.state("FAILED") >= reported, 120);
    lap("reconciliation", t, "Key Maker reconciliation: %s", end.states());

    // 8. The operator's side of the order: the signed operator's report, verified; finalisation.
    DemoOrder.Summary operatorReport = null;
    Map<String, Long> orderFinalisation = null;
    if (orderId != null) {
      t = System.nanoTime();
      operatorReport = operatorReport(orderId);
      orderFinalisation = orderFinalisation(orderId);
      lap("operator-report", t, "operator's report and finalisation view of order %s", orderId);
    }
    return new Report(
        n,
        seconds,
        cpu,
        round(n / bindSeconds),
        summary,
        attacks,
        end.states(),
        round(summary.installed() / e2e),
        finalisationCounts(finalised, verified),
        orderId,
        operatorReport,
        orderFinalisation);
  }

  /** Downloads the order's signed operator's report, verifies it and prints its summary. */
  private DemoOrder.Summary operatorReport(String orderId) {
    try {
      DemoOrder.Summary s = order.operatorReport(setup.keyMaker(), orderId);
      out.printf(
          "   operator's report of order %s: signature verified with the Key Maker's certificate"
              + "%s%s%n",
          orderId,
          s.anchored() ? ", chain validated up to its CI" : " (no CI given: chain not anchored)",
          s.file() == null ? "" : "; kept in " + s.file());
      out.printf(
          "   per order: installed %d, failed %d, unreported %d %s; statuses %s%n",
          s.installed(), s.failed(), s.unreported(), s.unreportedClaims(), s.statuses());
      return s;
    } catch (java.io.IOException | java.security.GeneralSecurityException | RuntimeException e) {
      out.printf("   operator's report of order %s: NOT VERIFIED: %s%n", orderId, e.getMessage());
      return new DemoOrder.Summary(false, false, Map.of(), 0, 0, 0, Map.of(), null);
    }
  }

  /** The order's finalisation view in the Key Maker, printed. */
  private Map<String, Long> orderFinalisation(String orderId) {
    com.fasterxml.jackson.databind.JsonNode v = setup.keyMaker().orderFinalisation(orderId);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String k : new String[] {"devices", "finalised", "refused", "notFinalised"}) {
      counts.put(k, v.path(k).asLong());
    }
    List<String> none = new ArrayList<>();
    v.path("notFinalisedChips").forEach(e -> none.add(e.asText()));
    List<String> refused = new ArrayList<>();
    v.path("refusedChips")
        .forEach(e -> refused.add(e.path("eid").asText() + " " + e.path("code").asText()));
    out.printf(
        "   finalisation of order %s: %d finalised with a verified receipt, %d refused %s, %d not"
            + " finalised %s%n",
        orderId,
        counts.get("finalised"),
        counts.get("refused"),
        refused.size() > 5 ? refused.subList(0, 5) + "..." : refused,
        counts.get("notFinalised"),
        none.size() > 5 ? none.subList(0, 5) + "..." : none);
    return counts;
  }

  /**
   * Chips finalised (a signed receipt each), refused (by the chip's code), and proven to the Key
   * Maker (receipt verified).
   */
  private static Map<String, Long> finalisationCounts(FinalisationRun.Summary s, long verified) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("finalised", s.finalised());
    counts.put("verifiedByKeyMaker", verified);
    s.refusals().forEach(counts::put);
    return counts;
  }

  /**
   * The untimed warm-up: {@code w} more chips and profiles (ICCIDs after the timed run's) bound,
   * programmed by the lines and reported back into the Key Maker.
   */
  private void warmUp(int w) throws InterruptedException {
    List<String> eids = makeChips(w, setup.firstIccid() + setup.devices(), "warm-up/");
    long t = System.nanoTime();
    String batch = setup.keyMaker().bind(setup.pool(), eids);
    waitFor(batch, p -> p.delivered() >= p.total(), 600);
    RunSummary summary =
        new ProductionRun(
                setup.lines().lines(),
                stations,
                setup.stationsPerLine(),
                LineWorker.PackageTap.NONE,
                LineWorker.PackageArrival.NONE,
                setup.reportBatching(),
                setup.claimBatch(),
                setup.journalDirectory(),
                Backoff.DEFAULT)
            .run(eids.stream().map(Eid::new).toList(), r -> {});
    long results = summary.installed() + summary.failed();
    waitFor(batch, p -> p.state("INSTALLED") + p.state("FAILED") >= results, 120);
    lap(
        "warm-up/flow",
        t,
        "warm-up, not timed: batch %s, %d devices bound, programmed and reported (installed %d,"
            + " failed %d)",
        batch,
        w,
        summary.installed(),
        summary.failed());
    if (summary.installed() != w) {
      throw new IllegalStateException("the warm-up did not install every device: " + summary);
    }
  }

  @FunctionalInterface
  private interface Load {
    LoadOutcome load();
  }

  private Attack attack(String name, Load load) {
    try {
      LoadOutcome o = load.load();
      return new Attack(name, !o.installed(), o.installed() ? "installed" : "chip: " + o.reason());
    } catch (HttpCallException e) {
      return new Attack(name, true, "refused before the chip's checks: " + e.getMessage());
    } catch (ChipUnavailableException e) {
      return new Attack(name, false, "the chip could not be reached: " + e.getMessage());
    }
  }

  /** A line claims a chip's package (optionally tampers with it), loads it, reports honestly. */
  private Attack claimAndLoad(
      String name, BrokerClient line, ChipTransport chips, Eid eid, boolean tamper) {
    Claim claim;
    byte[] pkg;
    byte[] cert;
    try {
      claim = line.claim(eid);
      pkg = line.download(claim);
      cert = line.bindingCertificate(claim);
    } catch (HttpCallException e) {
      return new Attack(name, false, "could not set up the attack: " + e.getMessage());
    }
    if (tamper) {
      pkg = pkg.clone();
      pkg[pkg.length - 20] ^= 0x01; // inside the last profile segment's ciphertext
    }
    LoadOutcome o;
    try {
      o = chips.load(eid, pkg, cert);
    } catch (HttpCallException e) {
      line.release(claim);
      return new Attack(name, true, "refused before the chip's checks: " + e.getMessage());
    } catch (ChipUnavailableException e) {
      line.release(claim);
      return new Attack(name, false, "the chip could not be reached: " + e.getMessage());
    }
    String outcome = o.installed() ? "installed" : "chip: " + o.reason();
    if (!o.hasSignedResult()) {
      line.release(claim);
      return new Attack(name, !o.installed(), outcome);
    }
    try {
      // The honest line reports what the chip signed; the Key Maker verifies it and re-binds.
      line.report(claim, o.installed(), o.pir());
      return new Attack(name, !o.installed(), outcome + ", signed result reported");
    } catch (HttpCallException e) {
      return new Attack(name, !o.installed(), outcome + ", report failed: " + e.getMessage());
    }
  }

  /**
   * A false result reported first: the line pushes a chip's package into another chip and reports
   * that chip's signed refusal for the package, then loads the right chip and reports its genuine
   * success. The broker cannot verify signatures and keeps both; the Key Maker must reject the
   * false one (signed by the wrong chip) and record the genuine one as INSTALLED.
   */
  private Attack falseResultFirst(
      BrokerClient line, ChipTransport chips, Eid eid, Eid otherEid, String batch)
      throws InterruptedException {
    String name = "a false result reported first";
    try {
      Claim claim = line.claim(eid);
      byte[] pkg = line.download(claim);
      byte[] cert = line.bindingCertificate(claim);
      long installedBefore = setup.keyMaker().progress(batch).state("INSTALLED");
      LoadOutcome refusal = chips.load(otherEid, pkg, cert);
      if (!refusal.hasSignedResult()) {
        return new Attack(name, false, "could not set up the attack: no signed refusal");
      }
      line.report(claim, false, refusal.pir());
      LoadOutcome genuine = chips.load(eid, pkg, cert);
      if (!genuine.installed()) {
        return new Attack(name, false, "could not set up the attack: chip: " + genuine.reason());
      }
      line.report(claim, true, genuine.pir());
      waitFor(batch, p -> p.state("INSTALLED") > installedBefore, 60);
      return new Attack(
          name, true, "false refusal rejected; genuine result reported, recorded INSTALLED");
    } catch (HttpCallException | ChipUnavailableException | IllegalStateException e) {
      return new Attack(name, false, "the genuine result was not recorded: " + e.getMessage());
    }
  }

  /** Waits until the Key Maker holds a verified receipt of {@code expected} chips of the batch. */
  private long waitForFinalised(String batch, long expected, int timeoutSeconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    long verified = setup.keyMaker().batchFinalisation(batch).path("finalised").asLong();
    while (verified < expected && System.nanoTime() < deadline) {
      Thread.sleep(200);
      verified = setup.keyMaker().batchFinalisation(batch).path("finalised").asLong();
    }
    return verified;
  }

  private KeyMakerClient.Progress waitFor(
      String batch, java.util.function.Predicate<KeyMakerClient.Progress> done, int timeoutSeconds)
      throws InterruptedException {
    return waitFor(batch, done, timeoutSeconds, 200);
  }

  private KeyMakerClient.Progress waitFor(
      String batch,
      java.util.function.Predicate<KeyMakerClient.Progress> done,
      int timeoutSeconds,
      long pollMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    KeyMakerClient.Progress p = setup.keyMaker().progress(batch);
    while (!done.test(p)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for batch " + batch + ": " + p);
      }
      Thread.sleep(pollMillis);
      p = setup.keyMaker().progress(batch);
    }
    return p;
  }

  private void lap(String name, long start, String format, Object... args) {
    double s = round((System.nanoTime() - start) / 1e9);
    seconds.put(name, s);
    out.printf("   [%7.2f s] %s%n", s, String.format(format, args));
    Map<String, Double> now = cpuClock.now();
    Map<String, Double> used = CpuClock.delta(cpuMark, now);
    cpuMark = now;
    cpu.put(name, used);
    Map<String, Double> whole = new LinkedHashMap<>();
    Map<String, Double> shares = new LinkedHashMap<>();
    used.forEach((k, v) -> (CpuClock.isShare(k) ? shares : whole).put(k, v));
    if (!whole.isEmpty()) {
      out.printf("              CPU seconds: %s%n", whole);
    }
    if (!shares.isEmpty()) {
      out.printf("              of them JIT compiler / GC threads: %s%n", shares);
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
