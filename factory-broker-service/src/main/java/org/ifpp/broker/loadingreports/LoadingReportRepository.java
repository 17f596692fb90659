package org.ifpp.broker.loadingreports;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stored loading reports, read in commit order after a cursor. */
@Repository
class LoadingReportRepository {

  /** A stored report: its JSON as submitted (re-serialised), and where it came from. */
  record Row(
      String xid,
      long id,
      UUID orderId,
      String factory,
      String line,
      String body,
      Instant receivedAt) {}

  private final JdbcClient jdbc;

  LoadingReportRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  long insert(UUID orderId, String factory, String line, int devices, String json) {
    return jdbc.sql(
            "insert into loading_report (order_id, factory, line, devices, body)"
                + " values (?, ?, ?, ?, ?::jsonb) returning id")
        .param(orderId)
        .param(factory)
        .param(line)
        .param(devices)
        .param(json)
        .query(Long.class)
        .single();
  }

  /** Up to {@code limit} reports after {@code (xid, id)}, of transactions older than any open. */
  List<Row> after(String xid, long id, int limit) {
    return jdbc.sql(
            "select tx_xid::text, id, order_id, factory, line, body::text, received_at"
                + " from loading_report where (tx_xid, id) > (?::xid8, ?)"
                + " and tx_xid < pg_snapshot_xmin(pg_current_snapshot())"
                + " order by tx_xid, id limit ?")
        .param(xid)
        .param(id)
        .param(limit)
        .query(
            (rs, i) ->
                new Row(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getObject(3, UUID.class),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getTimestamp(7).toInstant()))
        .list();
  }
}
