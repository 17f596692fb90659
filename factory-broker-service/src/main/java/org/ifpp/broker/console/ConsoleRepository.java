package org.ifpp.broker.console;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The supervisor's read-only views: per line and per batch counts, the latest failures. Routing
 * metadata only (EIDs, transaction ids, lines, states): never a package's bytes, which are opaque
 * to the broker anyway. These scan the package and result tables: a console refreshes them every
 * few seconds, not the lines' hot path.
 */
@Repository
class ConsoleRepository {

  private final JdbcClient jdbc;

  ConsoleRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Per line, cumulative: claims made, results installed and failed, leases held now. */
  record LineTotals(String line, long claims, long installed, long failed, long leases) {}

  List<LineTotals> lines() {
    return jdbc.sql(
            "with c as (select claimed_line as line, sum(claim_count) as claims,"
                + " count(*) filter (where state = 'CLAIMED' and lease_until > now()) as leases"
                + " from package where claimed_line is not null group by claimed_line),"
                + " r as (select line, count(*) filter (where outcome = 'INSTALLED') as installed,"
                + " count(*) filter (where outcome = 'FAILED') as failed"
                + " from installation_result group by line)"
                + " select coalesce(c.line, r.line), coalesce(c.claims, 0),"
                + " coalesce(r.installed, 0), coalesce(r.failed, 0), coalesce(c.leases, 0)"
                + " from c full join r on r.line = c.line order by 1")
        .query(
            (rs, i) ->
                new LineTotals(
                    rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
        .list();
  }

  record Failure(String line, String eid, String transactionId, Instant at) {}

  List<Failure> lastFailures(int limit) {
    return jdbc.sql(
            "select line, eid, upper(encode(transaction_id, 'hex')), reported_at"
                + " from installation_result where outcome = 'FAILED' order by seq desc limit ?")
        .param(limit)
        .query(
            (rs, i) ->
                new Failure(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getTimestamp(4).toInstant()))
        .list();
  }

  record BatchCounts(
      String batchId,
      String factory,
      int packages,
      long available,
      long claimed,
      long reported,
      long purged,
      Instant created,
      Instant purgedAt) {}

  List<BatchCounts> batches(int limit) {
    return jdbc.sql(
            "select b.external_id, b.target_factory, b.package_count,"
                + " count(p.id) filter (where p.state = 'AVAILABLE'),"
                + " count(p.id) filter (where p.state = 'CLAIMED'),"
                + " count(p.id) filter (where p.state = 'REPORTED'),"
                + " count(p.id) filter (where p.state = 'PURGED'), b.created_at, b.purged_at"
                + " from batch b left join package p on p.batch_id = b.id"
                + " group by b.id order by b.created_at desc limit ?")
        .param(limit)
        .query(
            (rs, i) ->
                new BatchCounts(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getInt(3),
                    rs.getLong(4),
                    rs.getLong(5),
                    rs.getLong(6),
                    rs.getLong(7),
                    rs.getTimestamp(8).toInstant(),
                    rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant()))
        .list();
  }
}
