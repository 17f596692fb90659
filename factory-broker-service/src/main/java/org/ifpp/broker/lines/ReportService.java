package org.ifpp.broker.lines;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ifpp.broker.metrics.BrokerMetrics;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.web.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Records the chip's signed installation result (IFPP.md section 4 steps 5-7). The broker cannot
 * verify the chip's signature (it holds no eUICC certificate), so it keeps every distinct result a
 * line reports for a package, in the order received, and the Key Maker, which verifies each,
 * decides: a false or mistaken first report never blocks the genuine one. Only the last line to
 * claim the package may report, even after its lease ran out. The same signed bytes again are
 * answered like the first time; at most {@link ReportRepository#MAX_PER_PACKAGE} distinct results
 * per package are kept.
 */
@Service
public class ReportService {

  private static final Logger log = LoggerFactory.getLogger(ReportService.class);

  private final ReportRepository results;
  private final PackageRepository packages;
  private final Clock clock;
  private final BrokerMetrics metrics;

  ReportService(
      ReportRepository results, PackageRepository packages, Clock clock, BrokerMetrics metrics) {
    this.results = results;
    this.packages = packages;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The two outcomes a line can report. */
  enum Outcome {
    INSTALLED,
    FAILED;

    /** The outcome the signed result states; a line's declared outcome, when given, must agree. */
    static Outcome of(boolean success, String declared) {
      Outcome actual = success ? INSTALLED : FAILED;
      if (declared != null) {
        if (!"installed".equals(declared) && !"failed".equals(declared)) {
          throw new DomainException(BrokerError.INVALID_OUTCOME, "outcome: installed or failed");
        }
        if (!actual.wire().equals(declared)) {
          throw new DomainException(
              BrokerError.OUTCOME_MISMATCH, "outcome differs from what the signed result states");
        }
      }
      return actual;
    }

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Records one result (a new one, or the same signed bytes again). */
  ReportResponse report(Claimant c, Report r) {
    Instant now = clock.instant();
    // OffsetDateTime binds as timestamptz without the driver's per-call Calendar (Timestamp).
    if (results.report(c, r.tx(), r.eid(), r.outcome().name(), r.pir(), utc(now))) {
      recorded(c, r);
      return new ReportResponse(r.tx().toHex(), r.outcome().wire(), now);
    }
    return notRecorded(c, r, now);
  }

  private void recorded(Claimant c, Report r) {
    metrics.reported(r.outcome() == Outcome.INSTALLED);
    // Debug only: one line per chip costs CPU on the hot path; the result itself is durable in
    // installation_result, exported to the Key Maker, and counted in broker.reports{outcome}.
    log.debug(
        "result reported line={} transactionId={} outcome={}",
        c.line(),
        r.tx().toHex(),
        r.outcome());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * A checked report.
   *
   * @param tx the package
   * @param eid the chip the line names, or null; must be the package's
   * @param outcome what the signed result states
   * @param pir the signed result, as reported
   */
  record Report(TransactionId tx, Eid eid, Outcome outcome, byte[] pir) {}

  /** An item's answer: the recorded result, or the refusal the single report would have given. */
  record Answer(ReportResponse reported, DomainException refusal) {}

  /**
   * Records many results of one line: the same per-item semantics as {@link #report}, with one
   * statement (one transaction) for every item that moves its package to REPORTED; the items it did
   * not take (repeats, refusals) are then explained one by one as {@link #report} does.
   *
   * @param items distinct transactionIds
   * @return the answers, in the order of {@code items}
   */
  List<Answer> reportAll(Claimant c, List<Report> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    List<ReportRepository.Item> sorted = new ArrayList<>(items.size());
    for (Report r : items) {
      sorted.add(new ReportRepository.Item(r.tx(), r.eid(), r.outcome().name(), r.pir()));
    }
    sorted.sort((a, b) -> Arrays.compareUnsigned(a.tx().toBytes(), b.tx().toBytes()));
    Set<TransactionId> recorded = new HashSet<>(results.reportAll(c, sorted, utc(now)));
    List<Answer> answers = new ArrayList<>(items.size());
    for (Report r : items) {
      if (recorded.contains(r.tx())) {
        recorded(c, r);
        answers.add(new Answer(new ReportResponse(r.tx().toHex(), r.outcome().wire(), now), null));
      } else {
        try {
          answers.add(new Answer(notRecorded(c, r, now), null));
        } catch (DomainException e) {
          answers.add(new Answer(null, e));
        }
      }
    }
    return answers;
  }

  /**
   * After the statement wrote nothing: the first answer for the same signed bytes, or why not.
   *
   * @throws DomainException 404 {@code package-not-found}; 400 {@code eid-mismatch}; 409 {@code
   *     too-many-reports}, {@code package-reported} (another line's), {@code not-claim-holder},
   *     {@code package-purged}
   */
  private ReportResponse notRecorded(Claimant c, Report r, Instant now) {
    var found = packages.byTransactionId(c, r.tx());
    if (found.isEmpty()) {
      throw PackageLookup.notFound();
    }
    var same = results.findSame(r.tx(), r.pir());
    if (same.isPresent() && same.get().line().equals(c.line())) {
      return new ReportResponse(
          r.tx().toHex(), Outcome.valueOf(same.get().outcome()).wire(), same.get().reportedAt());
    }
    PackageRepository.PackageState s = found.get();
    if (r.eid() != null && !r.eid().equals(s.eid())) {
      throw new DomainException(BrokerError.EID_MISMATCH, "the package is for another EID");
    }
    if (c.line().equals(s.claimedLine())
        && !"PURGED".equals(s.state())
        && results.count(r.tx()) >= ReportRepository.MAX_PER_PACKAGE) {
      throw new DomainException(
          BrokerError.TOO_MANY_REPORTS,
          "at most " + ReportRepository.MAX_PER_PACKAGE + " distinct results per package");
    }
    throw PackageLookup.refusal(found, c, now);
  }
}
