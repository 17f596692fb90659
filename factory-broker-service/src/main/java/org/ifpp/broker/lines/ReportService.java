package org.ifpp.broker.lines;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ifpp.broker.metrics.BrokerMetrics;
import org.ifpp.broker.web.BrokerException;
import org.ifpp.crypto.ids.TransactionId;
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
          throw BrokerException.badRequest("invalid-outcome", "outcome: installed or failed");
        }
        if (!actual.wire().equals(declared)) {
          throw BrokerException.badRequest(
              "outcome-mismatch", "outcome differs from what the signed result states");
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
    throw BrokerException.conflict(
        "package-reported", "a different result was already reported for this package");
  }
}
