package org.ifpp.broker.finalisation;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The finalisation receipts lines reported, and the Key Maker's feed of them. */
@Repository
class FinalisationReceiptRepository {

  private final JdbcClient jdbc;

  FinalisationReceiptRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Keeps a receipt.
   *
   * @return false if the same receipt of the same chip is already kept
   */
  boolean insert(String eid, byte[] receipt, String line) {
    return jdbc.sql(
                "INSERT INTO finalisation_receipt (eid, receipt, line) VALUES (?, ?, ?)"
                    + " ON CONFLICT (eid, sha256(receipt)) DO NOTHING")
            .param(eid)
            .param(receipt)
            .param(line)
            .update()
        == 1;
  }

  /** One kept receipt and the transaction that wrote it. */
  record Row(String xid, long seq, String eid, String receipt, String line, Instant reportedAt) {}

  /**
   * Up to {@code limit} receipts after {@code (xid, seq)}, of transactions older than every one in
   * flight (the cursor rule of {@code results.ResultExportService}).
   */
  List<Row> after(String xid, long seq, int limit) {
    return jdbc.sql(
            "SELECT tx_xid::text, seq, eid, receipt, line, reported_at FROM finalisation_receipt"
                + " WHERE (tx_xid, seq) > (?::xid8, ?)"
                + " AND tx_xid < pg_snapshot_xmin(pg_current_snapshot())"
                + " ORDER BY tx_xid, seq LIMIT ?")
        .param(xid)
        .param(seq)
        .param(limit)
        .query(
            (rs, i) ->
                new Row(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getString(3),
                    Base64.getEncoder().encodeToString(rs.getBytes(4)),
                    rs.getString(5),
                    rs.getTimestamp(6).toInstant()))
        .list();
  }
}
