package org.ifpp.line.run;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.broker.Claim;
import org.ifpp.line.broker.ClaimRefusedException;
import org.ifpp.line.chip.ChipTransport;
import org.ifpp.line.chip.ChipUnavailableException;
import org.ifpp.line.chip.LoadOutcome;
import org.ifpp.line.chip.Notification;
import org.ifpp.line.http.HttpCallException;
import org.ifpp.line.journal.JournalEntry;
import org.ifpp.line.journal.ResultJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One programming station of a production line: takes the next chip from the line's conveyor and
 * runs claim, download, install, report for it (IFPP.md section 4, step 5). Runs until the conveyor
 * is empty. With a line reporter, the station hands the chip's signed result to it and takes the
 * next chip at once; the reporter sends the line's results in groups.
 *
 * <p>No result is held only in memory: the station journals each signed result ({@link
 * ResultJournal}) before it hands it on or reports it, and it is fsync'ed before it is sent. While
 * the broker is unavailable the station waits and tries again ({@link Backoff}). A chip that
 * refuses its package because its one-time key is already used (a package pushed again after a lost
 * answer or a restart) is asked for its pending notifications: its own signed result for that
 * transaction is reported instead of the refusal, and the notification is removed from the chip
 * once the broker recorded it.
 */
public final class LineWorker implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(LineWorker.class);

  private final String line;
  private final BrokerClient broker;
  private final ChipTransport chips;
  private final BlockingQueue<Eid> conveyor;
  private final Consumer<DeviceResult> sink;
  private final PackageTap tap;
  private final PackageArrival arrival;
  private final LineReporter reporter;
  private final int claimBatch;
  private final ResultJournal journal;
  private final Backoff backoff;
  private final CountDownLatch stop;

  /**
   * Whether a package that the broker does not hold yet may still arrive: while the Key Maker is
   * still delivering a batch, a line can reach a chip before its package (the broker's 404 {@code
   * package-not-found} then means "not yet", IFPP.md section 4). {@link #NONE}: every 404 is final.
   */
  @FunctionalInterface
  public interface PackageArrival {
    boolean mayStillArrive();

    PackageArrival NONE = () -> false;
  }

  /** First and longest pause before claiming again a package that has not arrived yet. */
  static final long FIRST_WAIT_MILLIS = 50;

  static final long LONGEST_WAIT_MILLIS = 500;

  /** Sees every package a station downloads (the demo keeps a few to replay them). */
  @FunctionalInterface
  public interface PackageTap {
    void downloaded(Claim claim, byte[] boundPackage, byte[] bindingCertificate);

    PackageTap NONE = (c, p, b) -> {};
  }

  /**
   * @param reporter the line's reporter, to which the station hands each signed result before it
   *     goes on to the next chip; null: the station reports each result itself, one call per chip
   * @param claimBatch how many chips the station takes from the conveyor and claims in one call (1
   *     to {@link BrokerClient#MAX_CLAIM_BATCH}); 1: one claim per chip
   * @param journal the line's journal, where each signed result goes before anything else
   * @param backoff the waits while the broker is unavailable
   * @param stop counted down when the run stops: no next chip, no more waiting
   */
  LineWorker(
      String line,
      BrokerClient broker,
      ChipTransport chips,
      BlockingQueue<Eid> conveyor,
      Consumer<DeviceResult> sink,
      PackageTap tap,
      PackageArrival arrival,
      LineReporter reporter,
      int claimBatch,
      ResultJournal journal,
      Backoff backoff,
      CountDownLatch stop) {
    this.journal = journal;
    this.backoff = backoff;
    this.stop = stop;
    if (claimBatch < 1 || claimBatch > BrokerClient.MAX_CLAIM_BATCH) {
      throw new IllegalArgumentException("claim batch: 1 to " + BrokerClient.MAX_CLAIM_BATCH);
    }
    this.claimBatch = claimBatch;
    this.reporter = reporter;
    this.line = line;
    this.broker = broker;
    this.chips = chips;
    this.conveyor = conveyor;
    this.sink = sink;
    this.tap = tap;
    this.arrival = arrival;
  }

  @Override
  public void run() {
    List<Eid> next = new ArrayList<>(claimBatch);
    while (!Thread.currentThread().isInterrupted() && stop.getCount() > 0) {
      next.clear();
      Eid eid;
      while (next.size() < claimBatch && (eid = conveyor.poll()) != null) {
        next.add(eid);
      }
      if (next.isEmpty()) {
        return;
      }
      if (next.size() == 1) {
        emit(program(next.get(0)));
      } else {
        programBatch(next);
      }
    }
  }

  private void emit(DeviceResult r) {
    if (r != null) {
      sink.accept(r);
    }
  }

  /**
   * Claims the packages of {@code eids} in one call, then programs each chip in order with its
   * package. A chip whose package has not arrived yet (404 while packages may still arrive) goes to
   * the single claim's wait loop; any other refusal is that chip's outcome. If the call itself gets
   * no usable answer, each chip is claimed on its own (claiming again is safe for the same line).
   * Every chip gets exactly one result (or goes to the reporter).
   */
  void programBatch(List<Eid> eids) {
    boolean mayArrive = arrival.mayStillArrive();
    long start = System.nanoTime();
    List<BrokerClient.BatchClaim> answers;
    try {
      answers = broker.claimBatch(eids);
    } catch (HttpCallException e) {
      for (Eid eid : eids) {
        emit(program(eid));
      }
      return;
    }
    long claimed = System.nanoTime();
    // Each chip's share of the one call, so that the summary's claim time stays per chip.
    long share = (claimed - start) / eids.size();
    for (BrokerClient.BatchClaim a : answers) {
      long[] t = new long[5];
      t[1] = System.nanoTime();
      t[0] = t[1] - share;
      if (a.isClaimed()) {
        emit(programClaimed(a.eid(), a.claimed().claim(), a.claimed().boundPackage(), t));
      } else if (a.status() == 404 && mayArrive) {
        emit(program(a.eid())); // not yet: the single claim waits for it
      } else if (a.status() == 404 || a.status() == 409 || a.status() == 410) {
        emit(
            result(
                a.eid(),
                DeviceResult.Outcome.NO_PACKAGE,
                a.code() != null ? a.code() : "http-" + a.status(),
                t,
                1,
                DeviceResult.Recovery.NONE));
      } else {
        emit(
            result(
                a.eid(),
                DeviceResult.Outcome.ERROR,
                "claim:" + (a.code() != null ? a.code() : "http-" + a.status()),
                t,
                1,
                DeviceResult.Recovery.NONE));
      }
    }
  }

  /**
   * Programs one chip; never throws for an expected failure.
   *
   * @return the chip's result, or null when its signed result went to the line's reporter, which
   *     emits the result once the broker answered
   */
  DeviceResult program(Eid eid) {
    long[] t = new long[5];
    t[0] = System.nanoTime();
    // Claim and download in one call; the batch's certificate is fetched once per batch.
    Claim claim;
    byte[] pkg;
    long wait = FIRST_WAIT_MILLIS;
    Backoff.Wait outage = null;
    while (true) {
      // Read before the claim: if no more packages could arrive when it was sent, its 404 is final
      // (a package delivered after the claim was refused makes this true, and the line asks again).
      boolean mayArrive = arrival.mayStillArrive();
      try {
        BrokerClient.ClaimedPackage claimed = broker.claimWithPackage(eid);
        claim = claimed.claim();
        pkg = claimed.boundPackage();
        break;
      } catch (ClaimRefusedException e) {
        // A 404 while packages may still arrive means "not yet"; any other refusal is final. A
        // claim granted with an answer unusable for this chip is this chip's error.
        if (e.unusableGrant()) {
          return result(
              eid,
              DeviceResult.Outcome.ERROR,
              "claim:" + code(e),
              t,
              1,
              DeviceResult.Recovery.NONE);
        }
        if (!mayArrive || e.status() != 404) {
          return result(
              eid, DeviceResult.Outcome.NO_PACKAGE, code(e), t, 1, DeviceResult.Recovery.NONE);
        }
      } catch (HttpCallException e) {
        // No answer: the claim may or may not exist; claiming again is safe (same line, same
        // lease). While the broker is unavailable the station waits and claims again.
        if (e.unavailable() && !Thread.currentThread().isInterrupted()) {
          if (outage == null) {
            outage = backoff.start(line, "the claim of chip " + eid, stop);
          }
          if (outage.pause(e)) {
            continue;
          }
        }
        return result(eid, DeviceResult.Outcome.ERROR, "claim:" + code(e), t, 1, reprogram(e));
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return result(
            eid, DeviceResult.Outcome.ERROR, "claim:interrupted", t, 1, DeviceResult.Recovery.NONE);
      }
      wait = Math.min(LONGEST_WAIT_MILLIS, wait * 2);
    }
    if (outage != null) {
      outage.recovered();
    }
    t[1] = System.nanoTime();
    return programClaimed(eid, claim, pkg, t);
  }

  /** The chip's steps after its claim ({@code t[0]} and {@code t[1]} set): install, report. */
  private DeviceResult programClaimed(Eid eid, Claim claim, byte[] pkg, long[] t) {
    byte[] certificate;
    try {
      certificate = broker.bindingCertificate(claim);
    } catch (HttpCallException e) {
      broker.release(claim);
      return result(eid, DeviceResult.Outcome.ERROR, "download:" + code(e), t, 2, reprogram(e));
    }
    tap.downloaded(claim, pkg, certificate);
    t[2] = System.nanoTime();
    LoadOutcome outcome;
    Runnable onRecorded = null;
    try {
      outcome = chips.load(eid, pkg, certificate, claim.bppEuiccOtpk());
    } catch (ChipUnavailableException e) {
      // Through a reader: no card, a card removed, another chip. Nothing was consumed unless the
      // chip answered; if it did, its result is among its notifications (read when it is back).
      log.warn("{}: chip {}: {}", line, eid, e.getMessage());
      Notification n = notificationFor(eid, claim);
      if (n == null) {
        broker.release(claim);
        return result(
            eid,
            DeviceResult.Outcome.ERROR,
            "install:" + e.code(),
            t,
            3,
            DeviceResult.Recovery.NONE);
      }
      outcome = fromNotification(n);
      onRecorded = removal(eid, n);
    } catch (HttpCallException e) {
      // Not pushed again (see ChipClient): the chip may have used its one-time key. If it did, its
      // own signed result is among its notifications.
      Notification n = notificationFor(eid, claim);
      if (n == null) {
        broker.release(claim);
        return result(
            eid,
            DeviceResult.Outcome.ERROR,
            "install:" + code(e),
            t,
            3,
            DeviceResult.Recovery.NONE);
      }
      outcome = fromNotification(n);
      onRecorded = removal(eid, n);
    }
    if (!outcome.installed() && keyAlreadyUsed(outcome)) {
      // The package reached this chip before (a push again after a lost answer or a restart): the
      // chip's result of that first load is the truth, not this refusal.
      Notification n = notificationFor(eid, claim);
      if (n != null) {
        outcome = fromNotification(n);
        onRecorded = removal(eid, n);
      }
    }
    t[3] = System.nanoTime();
    if (!outcome.hasSignedResult()) {
      broker.release(claim);
      return result(
          eid, DeviceResult.Outcome.REJECTED, outcome.reason(), t, 3, DeviceResult.Recovery.NONE);
    }
    // Journalled before anything else: from here on a crash, a kill or a stop loses nothing. The
    // reporter fsyncs the journal before it sends the group; a station reporting itself, now.
    try {
      JournalEntry entry =
          new JournalEntry(claim.transactionId(), eid, outcome.installed(), outcome.pir());
      if (reporter != null) {
        journal.append(entry);
      } else {
        journal.appendDurably(entry);
      }
    } catch (UncheckedIOException | IllegalArgumentException e) {
      log.error("{}: the result of chip {} could not be journalled: {}", line, eid, e.getMessage());
      return result(
          eid,
          DeviceResult.Outcome.ERROR,
          "journal:unwritable",
          t,
          3,
          new DeviceResult.Recovery.Report(claim, outcome.installed(), outcome.pir(), onRecorded));
    }
    if (reporter != null) {
      reporter.submit(
          new LineReporter.Queued(
              eid,
              claim,
              outcome.installed(),
              outcome.pir(),
              outcome.reason(),
              t[1] - t[0],
              t[2] - t[1],
              t[3] - t[2],
              System.nanoTime(),
              onRecorded));
      return null;
    }
    try {
      reportWaiting(claim, outcome.installed(), outcome.pir());
    } catch (HttpCallException e) {
      // Refused as a whole, or stopping while the broker is unavailable: kept (and journalled).
      return result(
          eid,
          DeviceResult.Outcome.ERROR,
          "report:" + code(e),
          t,
          4,
          new DeviceResult.Recovery.Report(claim, outcome.installed(), outcome.pir(), onRecorded));
    }
    afterRecorded(onRecorded);
    t[4] = System.nanoTime();
    return result(
        eid,
        outcome.installed() ? DeviceResult.Outcome.INSTALLED : DeviceResult.Outcome.REJECTED,
        outcome.reason(),
        t,
        4,
        DeviceResult.Recovery.NONE);
  }

  /**
   * Reports one result, waiting while the broker is unavailable; the journal forgets it once the
   * broker answered.
   *
   * @throws HttpCallException when the broker refused it (a 4xx), or the run stopped first
   */
  private void reportWaiting(Claim claim, boolean installed, byte[] pir) {
    Backoff.Wait outage = null;
    while (true) {
      try {
        broker.report(claim, installed, pir);
        break;
      } catch (HttpCallException e) {
        if (!e.unavailable() || Thread.currentThread().isInterrupted()) {
          if (refusesTheResult(e.status())) {
            journal.acknowledge(claim.transactionId()); // answered for good: not resent
            log.warn(
                "{}: the broker refused the result of {}: {}",
                line,
                claim.transactionId(),
                code(e));
          }
          throw e;
        }
        if (outage == null) {
          outage = backoff.start(line, "the report of " + claim.transactionId(), stop);
        }
        if (!outage.pause(e)) {
          throw e;
        }
      }
    }
    if (outage != null) {
      outage.recovered();
    }
    journal.acknowledge(claim.transactionId());
  }

  /**
   * A refusal of the result itself (not of the line's credential, 401/403, after whose repair the
   * journal sends it again).
   */
  private static boolean refusesTheResult(int status) {
    return status == 400 || status == 404 || status == 409 || status == 410 || status == 422;
  }

  /**
   * The chip refused because the package's one-time key is no longer on it (IFPP.md 6, step 5):
   * invalidSignature, or oneTimeKeysExhausted when it was the chip's last key; or, for a package
   * that came with its key id, one-time-key-spent, told before loading (nothing consumed).
   */
  private static boolean keyAlreadyUsed(LoadOutcome o) {
    return ErrorReason.INVALID_SIGNATURE.asn1Name().equals(o.reason())
        || ErrorReason.KEYS_EXHAUSTED.asn1Name().equals(o.reason())
        || ChipTransport.ONE_TIME_KEY_SPENT.equals(o.reason());
  }

  /** The chip's pending notification for the claim's transaction, or null (none, or no answer). */
  private Notification notificationFor(Eid eid, Claim claim) {
    try {
      for (Notification n : chips.notifications(eid)) {
        if (n.isFor(claim.transactionId()) && n.pir().length > 0) {
          log.info(
              "{}: chip {} already opened package {}; reporting its own signed result ({}) from"
                  + " notification {}",
              line,
              eid,
              claim.transactionId(),
              n.installed() ? "installed" : "failed",
              n.seqNumber());
          return n;
        }
      }
    } catch (HttpCallException | ChipUnavailableException e) {
      log.warn("{}: notifications of chip {} unavailable: {}", line, eid, e.getMessage());
    }
    return null;
  }

  private static LoadOutcome fromNotification(Notification n) {
    return new LoadOutcome(
        n.installed(), n.installed() ? null : "from-notification", n.iccid(), n.pir());
  }

  /** Removes the notification from the chip, once the broker recorded its result. */
  private Runnable removal(Eid eid, Notification n) {
    return () -> chips.removeNotification(eid, n.seqNumber());
  }

  /** Runs what follows a recorded result (best effort: the result itself is delivered). */
  static void afterRecorded(Runnable onRecorded) {
    if (onRecorded == null) {
      return;
    }
    try {
      onRecorded.run();
    } catch (RuntimeException e) {
      log.warn("after a recorded result: {}", e.getMessage());
    }
  }

  /**
   * Delivers a kept signed result again (second pass of a run).
   *
   * @return the device's result after this attempt
   */
  DeviceResult reportAgain(DeviceResult previous, DeviceResult.Recovery.Report pending) {
    long start = System.nanoTime();
    try {
      reportWaiting(pending.claim(), pending.installed(), pending.pir());
    } catch (HttpCallException e) {
      return previous; // still in the journal: the next run sends it
    }
    afterRecorded(pending.onRecorded());
    return new DeviceResult(
        previous.eid(),
        line,
        pending.installed() ? DeviceResult.Outcome.INSTALLED : DeviceResult.Outcome.REJECTED,
        pending.installed() ? null : "reported-late",
        previous.claimNanos(),
        previous.downloadNanos(),
        previous.installNanos(),
        previous.reportNanos() + System.nanoTime() - start,
        DeviceResult.Recovery.NONE);
  }

  private static DeviceResult.Recovery reprogram(HttpCallException e) {
    return e.outcomeUnknown() ? new DeviceResult.Recovery.Reprogram() : DeviceResult.Recovery.NONE;
  }

  /** A result whose step {@code reached} (1 claim .. 4 report) ended now. */
  private DeviceResult result(
      Eid eid,
      DeviceResult.Outcome outcome,
      String detail,
      long[] t,
      int reached,
      DeviceResult.Recovery recovery) {
    t[reached] = System.nanoTime();
    long[] d = new long[4];
    for (int i = 0; i < reached; i++) {
      d[i] = t[i + 1] - t[i];
    }
    return new DeviceResult(eid, line, outcome, detail, d[0], d[1], d[2], d[3], recovery);
  }

  static String code(HttpCallException e) {
    if (e.code() != null) {
      return e.code();
    }
    return e.status() == 0 ? "no-answer" : "http-" + e.status();
  }
}
