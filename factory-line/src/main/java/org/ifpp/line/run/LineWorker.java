package org.ifpp.line.run;

import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.broker.ClaimRefusedException;
import org.ifpp.line.chip.ChipClient;
import org.ifpp.line.chip.LoadOutcome;
import org.ifpp.line.http.HttpCallException;

/**
 * One programming station of a production line: takes the next chip from the line's conveyor and
 * runs claim, download, install, report for it (IFPP.md section 4, step 5). Runs until the conveyor
 * is empty.
 */
public final class LineWorker implements Runnable {

  private final String line;
  private final BrokerClient broker;
  private final ChipClient chips;
  private final BlockingQueue<String> conveyor;
  private final Consumer<DeviceResult> sink;
  private final PackageTap tap;

  /** Sees every package a station downloads (the demo keeps a few to replay them). */
  @FunctionalInterface
  public interface PackageTap {
    void downloaded(Claim claim, byte[] boundPackage, byte[] bindingCertificate);

    PackageTap NONE = (c, p, b) -> {};
  }

  public LineWorker(
      String line,
      BrokerClient broker,
      ChipClient chips,
      BlockingQueue<String> conveyor,
      Consumer<DeviceResult> sink,
      PackageTap tap) {
    this.line = line;
    this.broker = broker;
    this.chips = chips;
    this.conveyor = conveyor;
    this.sink = sink;
    this.tap = tap;
  }

  @Override
  public void run() {
    String eid;
    while (!Thread.currentThread().isInterrupted() && (eid = conveyor.poll()) != null) {
      sink.accept(program(eid));
    }
  }

  /** Programs one chip; never throws for an expected failure. */
  DeviceResult program(String eid) {
    long t0 = System.nanoTime();
    Claim claim;
    try {
      claim = broker.claim(eid);
    } catch (ClaimRefusedException e) {
      return result(eid, DeviceResult.Outcome.NO_PACKAGE, code(e), System.nanoTime() - t0, 0, 0, 0);
    } catch (HttpCallException e) {
      return result(
          eid, DeviceResult.Outcome.ERROR, "claim:" + code(e), System.nanoTime() - t0, 0, 0, 0);
    }
    long t1 = System.nanoTime();
    byte[] pkg;
    byte[] certificate;
    try {
      pkg = broker.download(claim);
      certificate = broker.bindingCertificate(claim);
    } catch (HttpCallException e) {
      broker.release(claim);
      return result(
          eid,
          DeviceResult.Outcome.ERROR,
          "download:" + code(e),
          t1 - t0,
          System.nanoTime() - t1,
          0,
          0);
    }
    tap.downloaded(claim, pkg, certificate);
    long t2 = System.nanoTime();
    LoadOutcome outcome;
    try {
      outcome = chips.load(eid, pkg, certificate);
    } catch (HttpCallException e) {
      broker.release(claim);
      return result(
          eid,
          DeviceResult.Outcome.ERROR,
          "install:" + code(e),
          t1 - t0,
          t2 - t1,
          System.nanoTime() - t2,
          0);
    }
    long t3 = System.nanoTime();
    if (!outcome.hasSignedResult()) {
      // Refused before the chip signed anything (e.g. production finalised): nothing to report.
      broker.release(claim);
      return result(
          eid, DeviceResult.Outcome.REJECTED, outcome.reason(), t1 - t0, t2 - t1, t3 - t2, 0);
    }
    try {
      broker.report(claim, outcome.installed(), outcome.pir());
    } catch (HttpCallException e) {
      return result(
          eid,
          DeviceResult.Outcome.ERROR,
          "report:" + code(e),
          t1 - t0,
          t2 - t1,
          t3 - t2,
          System.nanoTime() - t3);
    }
    long t4 = System.nanoTime();
    return result(
        eid,
        outcome.installed() ? DeviceResult.Outcome.INSTALLED : DeviceResult.Outcome.REJECTED,
        outcome.reason(),
        t1 - t0,
        t2 - t1,
        t3 - t2,
        t4 - t3);
  }

  private DeviceResult result(
      String eid,
      DeviceResult.Outcome outcome,
      String detail,
      long claim,
      long download,
      long install,
      long report) {
    return new DeviceResult(eid, line, outcome, detail, claim, download, install, report);
  }

  private static String code(HttpCallException e) {
    if (e.code() != null) {
      return e.code();
    }
    return e.status() == 0 ? "no-answer" : "http-" + e.status();
  }
}
