package org.ifpp.broker.lines;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.ifpp.broker.metrics.BrokerMetrics;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.web.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Records the chip's signed installation result (IFPP.md section 4 steps 5-7) in one statement that
 * moves the package to REPORTED and appends the result. The last line to claim the package may
 * report even after its lease ran out, as long as no other line claimed it since: the chip's result
 * is the truth and must not be lost. Reporting again the same result is answered like the first
 * time; a different one is 409.
 */
@Service
public class ReportService {

  private static final Logger log = LoggerFactory.getLogger(ReportService.class);

  private static final String REPORT =
      "WITH upd AS (UPDATE package SET state = 'REPORTED', state_changed_at = ?"
          + "  WHERE transaction_id = ? AND "
          + PackageLookup.VISIBLE
          + "  AND claimed_line = ? AND state IN ('CLAIMED', 'AVAILABLE')"
          + "  RETURNING id, batch_id, transaction_id, eid)"
          + " INSERT INTO installation_result"
          + " (package_id, batch_id, transaction_id, eid, outcome, pir, line, reported_at)"
          + " SELECT id, batch_id, transaction_id, eid, ?, ?, ?, ? FROM upd RETURNING seq";

  /**
   * {@link #REPORT} for many packages of one line at once: the items come in as arrays, sorted by
   * transactionId so that concurrent batches lock their rows in the same order; each package the
   * update takes gets its result row in the same statement (and transaction).
   */
  private static final String REPORT_MANY =
      "WITH input AS (SELECT * FROM unnest(?::bytea[], ?::text[], ?::bytea[])"
          + "  AS i(transaction_id, outcome, pir)),"
          + " upd AS (UPDATE package p SET state = 'REPORTED', state_changed_at = ?"
          + "  FROM input i WHERE p.transaction_id = i.transaction_id AND "
          + PackageLookup.VISIBLE
          + "  AND claimed_line = ? AND state IN ('CLAIMED', 'AVAILABLE')"
          + "  RETURNING p.id, p.batch_id, p.transaction_id, p.eid, i.outcome, i.pir)"
          + " INSERT INTO installation_result"
          + " (package_id, batch_id, transaction_id, eid, outcome, pir, line, reported_at)"
          + " SELECT id, batch_id, transaction_id, eid, outcome, pir, ?, ? FROM upd"
          + " RETURNING transaction_id";

  private final JdbcTemplate jdbc;
  private final PackageLookup lookup;
  private final Clock clock;
  private final BrokerMetrics metrics;

  ReportService(JdbcTemplate jdbc, PackageLookup lookup, Clock clock, BrokerMetrics metrics) {
    this.jdbc = jdbc;
    this.lookup = lookup;
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

  ReportResponse report(Claimant c, TransactionId tx, Outcome outcome, byte[] pir) {
    Instant now = clock.instant();
    // OffsetDateTime binds as timestamptz without the driver's per-call Calendar (Timestamp).
    OffsetDateTime ts = now.atOffset(ZoneOffset.UTC);
    List<Long> seq =
        jdbc.queryForList(
            REPORT,
            Long.class,
            ts,
            tx.toBytes(),
            c.factory(),
            c.line(),
            c.line(),
            outcome.name(),
            pir,
            c.line(),
            ts);
    if (!seq.isEmpty()) {
      metrics.reported(outcome == Outcome.INSTALLED);
      // Debug only: one line per chip costs CPU on the hot path; the result itself is durable in
      // installation_result, exported to the Key Maker, and counted in broker.reports{outcome}.
      log.debug(
          "result reported line={} transactionId={} outcome={}", c.line(), tx.toHex(), outcome);
      return new ReportResponse(tx.toHex(), outcome.wire(), now);
    }
    return repeated(c, tx, outcome, pir, now);
  }

  /** One checked item of a batch of reports. */
  record Report(TransactionId tx, Outcome outcome, byte[] pir) {}

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
    OffsetDateTime ts = now.atOffset(ZoneOffset.UTC);
    List<Report> sorted = new ArrayList<>(items);
    sorted.sort((a, b) -> Arrays.compareUnsigned(a.tx().toBytes(), b.tx().toBytes()));
    int n = sorted.size();
    byte[][] txs = new byte[n][];
    String[] outcomes = new String[n];
    byte[][] pirs = new byte[n][];
    for (int i = 0; i < n; i++) {
      Report r = sorted.get(i);
      txs[i] = r.tx().toBytes();
      outcomes[i] = r.outcome().name();
      pirs[i] = r.pir();
    }
    List<byte[]> taken =
        jdbc.query(
            con -> {
              PreparedStatement ps = con.prepareStatement(REPORT_MANY);
              ps.setArray(1, con.createArrayOf("bytea", txs));
              ps.setArray(2, con.createArrayOf("text", outcomes));
              ps.setArray(3, con.createArrayOf("bytea", pirs));
              ps.setObject(4, ts);
              ps.setString(5, c.factory());
              ps.setString(6, c.line());
              ps.setString(7, c.line());
              ps.setString(8, c.line());
              ps.setObject(9, ts);
              return ps;
            },
            (rs, i) -> rs.getBytes(1));
    Set<TransactionId> recorded = new HashSet<>();
    for (byte[] tx : taken) {
      recorded.add(TransactionId.of(tx));
    }
    List<Answer> answers = new ArrayList<>(items.size());
    for (Report r : items) {
      if (recorded.contains(r.tx())) {
        metrics.reported(r.outcome() == Outcome.INSTALLED);
        log.debug(
            "result reported line={} transactionId={} outcome={}",
            c.line(),
            r.tx().toHex(),
            r.outcome());
        answers.add(new Answer(new ReportResponse(r.tx().toHex(), r.outcome().wire(), now), null));
      } else {
        try {
          answers.add(new Answer(repeated(c, r.tx(), r.outcome(), r.pir(), now), null));
        } catch (DomainException e) {
          answers.add(new Answer(null, e));
        }
      }
    }
    return answers;
  }

  private record Stored(String line, String outcome, byte[] pir, Instant reportedAt) {}

  private ReportResponse repeated(
      Claimant c, TransactionId tx, Outcome outcome, byte[] pir, Instant now) {
    var found = lookup.byTransactionId(c, tx);
    if (found.isEmpty() || !"REPORTED".equals(found.get().state())) {
      throw PackageLookup.refusal(found, c, now);
    }
    Optional<Stored> stored =
        jdbc
            .query(
                "SELECT line, outcome, pir, reported_at FROM installation_result"
                    + " WHERE transaction_id = ?",
                (rs, i) ->
                    new Stored(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getBytes(3),
                        rs.getTimestamp(4).toInstant()),
                tx.toBytes())
            .stream()
            .findFirst();
    if (stored.isPresent()
        && stored.get().line().equals(c.line())
        && stored.get().outcome().equals(outcome.name())
        && Arrays.equals(stored.get().pir(), pir)) {
      return new ReportResponse(tx.toHex(), outcome.wire(), stored.get().reportedAt());
    }
    throw new DomainException(
        BrokerError.PACKAGE_REPORTED, "a different result was already reported for this package");
  }
}
