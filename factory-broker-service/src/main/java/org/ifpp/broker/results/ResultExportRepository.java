package org.ifpp.broker.results;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.ifpp.broker.results.ResultExportResponse.InstallationResult;
import org.ifpp.crypto.ids.TransactionId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads {@code installation_result} in commit order after a cursor (see {@link ResultExportService}
 * for why the cursor is a transaction id and a sequence number).
 */
// @Component, not @Repository: JdbcClient already translates SQL exceptions, and @Repository
// would put a proxy with a reflective call in front of every statement of the hot path.
@Component
class ResultExportRepository {

  private final JdbcClient jdbc;

  ResultExportRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A result and the transaction that wrote it. */
  record Row(String xid, InstallationResult result) {}

  /**
   * Up to {@code limit} results after {@code (xid, seq)}, of transactions older than every one in
   * flight, optionally of one batch.
   */
  List<Row> after(String xid, long seq, String batchId, int limit) {
    List<Object> args = new ArrayList<>(List.of(xid, seq));
    String batchFilter = "";
    if (batchId != null) {
      batchFilter = " AND b.external_id = ?";
      args.add(batchId);
    }
    args.add(limit);
    return jdbc.sql(
            "SELECT r.tx_xid::text, r.seq, r.transaction_id, r.eid, b.external_id, r.outcome,"
                + " r.pir, r.line, r.reported_at"
                + " FROM installation_result r JOIN batch b ON b.id = r.batch_id"
                + " WHERE (r.tx_xid, r.seq) > (?::xid8, ?)"
                + " AND r.tx_xid < pg_snapshot_xmin(pg_current_snapshot())"
                + batchFilter
                + " ORDER BY r.tx_xid, r.seq LIMIT ?")
        .params(args)
        .query(
            (rs, i) ->
                new Row(
                    rs.getString(1),
                    new InstallationResult(
                        rs.getLong(2),
                        TransactionId.of(rs.getBytes(3)).toHex(),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6).toLowerCase(Locale.ROOT),
                        Base64.getEncoder().encodeToString(rs.getBytes(7)),
                        rs.getString(8),
                        rs.getTimestamp(9).toInstant())))
        .list();
  }
}
