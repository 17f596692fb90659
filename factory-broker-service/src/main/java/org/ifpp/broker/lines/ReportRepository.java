package org.ifpp.broker.lines;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.ifpp.broker.persistence.SqlArrays;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The report statements: a package moves to REPORTED and its signed result is appended to {@code
 * installation_result}, in one statement. Every distinct result is kept (up to {@link
 * #MAX_PER_PACKAGE}); the same signed bytes again are one row (the unique index on {@code
 * (package_id, sha256(pir))}).
 */
// @Component, not @Repository: JdbcClient already translates SQL exceptions, and @Repository
// would put a proxy with a reflective call in front of every statement of the hot path.
@Component
class ReportRepository {

  /**
   * Most distinct results kept for one package: bounds what a line can store, far above what a chip
   * produces (a false report or two, then the genuine one).
   */
  static final int MAX_PER_PACKAGE = 16;

  private static final String TAKES_A_REPORT =
      " AND state IN ('CLAIMED', 'AVAILABLE', 'REPORTED')"
          + " AND (SELECT count(*) FROM installation_result r WHERE r.package_id = p.id) < "
          + MAX_PER_PACKAGE;

  // The last line to claim the package may report, even after its lease ran out, and again after
  // a first report; the package's EID must be the one the line names, when it names one.
  private static final String REPORT =
      "WITH upd AS (UPDATE package p SET state = 'REPORTED', state_changed_at ="
          + "  CASE WHEN p.state = 'REPORTED' THEN p.state_changed_at ELSE ? END"
          + "  WHERE p.transaction_id = ? AND "
          + PackageRepository.VISIBLE
          + "  AND claimed_line = ? AND p.eid = coalesce(?::text, p.eid)"
          + TAKES_A_REPORT
          + "  RETURNING p.id, p.batch_id, p.transaction_id, p.eid)"
          + " INSERT INTO installation_result"
          + " (package_id, batch_id, transaction_id, eid, outcome, pir, line, reported_at)"
          + " SELECT id, batch_id, transaction_id, eid, ?, ?, ?, ? FROM upd"
          + " ON CONFLICT (package_id, sha256(pir)) DO NOTHING RETURNING seq";

  /**
   * {@link #REPORT} for many packages of one line at once: the items come in as arrays, sorted by
   * transactionId so that concurrent batches lock their rows in the same order; each package the
   * update takes gets its result row in the same statement (and transaction).
   */
  private static final String REPORT_MANY =
      "WITH input AS (SELECT * FROM unnest(?::bytea[], ?::text[], ?::bytea[], ?::text[])"
          + "  AS i(transaction_id, outcome, pir, eid)),"
          + " upd AS (UPDATE package p SET state = 'REPORTED', state_changed_at ="
          + "  CASE WHEN p.state = 'REPORTED' THEN p.state_changed_at ELSE ? END"
          + "  FROM input i WHERE p.transaction_id = i.transaction_id AND "
          + PackageRepository.VISIBLE
          + "  AND claimed_line = ? AND p.eid = coalesce(i.eid, p.eid)"
          + TAKES_A_REPORT
          + "  RETURNING p.id, p.batch_id, p.transaction_id, p.eid, i.outcome, i.pir)"
          + " INSERT INTO installation_result"
          + " (package_id, batch_id, transaction_id, eid, outcome, pir, line, reported_at)"
          + " SELECT id, batch_id, transaction_id, eid, outcome, pir, ?, ? FROM upd"
          + " ON CONFLICT (package_id, sha256(pir)) DO NOTHING RETURNING transaction_id";

  private final JdbcClient jdbc;

  ReportRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records one result.
   *
   * @return true if a new row was written; false if the statement took nothing (a repeat of a
   *     stored result, or a refusal to explain)
   */
  boolean report(
      Claimant c, TransactionId tx, Eid eid, String outcome, byte[] pir, OffsetDateTime now) {
    return !jdbc.sql(REPORT)
        .params(
            now,
            tx.toBytes(),
            c.factory(),
            c.line(),
            c.line(),
            new SqlParameterValue(Types.VARCHAR, eid == null ? null : eid.value()),
            outcome,
            pir,
            c.line(),
            now)
        .query(Long.class)
        .list()
        .isEmpty();
  }

  /** One item of {@link #reportAll}. */
  record Item(TransactionId tx, Eid eid, String outcome, byte[] pir) {}

  /**
   * Records many results of one line in one statement.
   *
   * @param sorted items sorted by transactionId (lock order), distinct transactionIds
   * @return the transactionIds of the items that wrote a new row
   */
  List<TransactionId> reportAll(Claimant c, List<Item> sorted, OffsetDateTime now) {
    int n = sorted.size();
    byte[][] txs = new byte[n][];
    String[] outcomes = new String[n];
    byte[][] pirs = new byte[n][];
    String[] eids = new String[n];
    for (int i = 0; i < n; i++) {
      Item r = sorted.get(i);
      txs[i] = r.tx().toBytes();
      outcomes[i] = r.outcome();
      pirs[i] = r.pir();
      eids[i] = r.eid() == null ? null : r.eid().value();
    }
    return jdbc.sql(REPORT_MANY)
        .params(
            SqlArrays.of("bytea", txs),
            SqlArrays.of("text", outcomes),
            SqlArrays.of("bytea", pirs),
            SqlArrays.of("text", eids),
            now,
            c.factory(),
            c.line(),
            c.line(),
            c.line(),
            now)
        .query((rs, i) -> TransactionId.of(rs.getBytes(1)))
        .list();
  }

  /**
   * A stored result of this package with exactly these signed bytes.
   *
   * @param line the line that reported it
   * @param outcome INSTALLED or FAILED
   * @param reportedAt when it was recorded
   */
  record Stored(String line, String outcome, Instant reportedAt) {}

  Optional<Stored> findSame(TransactionId tx, byte[] pir) {
    return jdbc.sql(
            "SELECT r.line, r.outcome, r.reported_at FROM installation_result r"
                + " JOIN package p ON p.id = r.package_id"
                + " WHERE p.transaction_id = ? AND sha256(r.pir) = sha256(?) AND r.pir = ?")
        .params(tx.toBytes(), pir, pir)
        .query(
            (rs, i) -> new Stored(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
        .optional();
  }

  /** How many distinct results are stored for the package. */
  int count(TransactionId tx) {
    return jdbc.sql(
            "SELECT count(*) FROM installation_result r JOIN package p ON p.id = r.package_id"
                + " WHERE p.transaction_id = ?")
        .param(tx.toBytes())
        .query(Integer.class)
        .single();
  }
}
