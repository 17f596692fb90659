package org.ifpp.broker.packagerequests;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stored package requests and their answers, exported in commit order after a cursor. */
@Repository
class PackageRequestRepository {

  record Row(
      String xid,
      long id,
      UUID requestId,
      UUID orderId,
      String factory,
      String line,
      byte[] fingerprint,
      String body,
      String answer,
      Instant receivedAt) {}

  private static final String COLUMNS =
      "tx_xid::text, id, request_id, order_id, factory, line, fingerprint, body::text,"
          + " answer::text, received_at";

  private final JdbcClient jdbc;

  PackageRequestRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts the request; false if its request id is stored already. */
  boolean insert(
      UUID requestId,
      UUID orderId,
      String factory,
      String line,
      int chips,
      byte[] fingerprint,
      String json) {
    return jdbc.sql(
                "insert into package_request (request_id, order_id, factory, line, chips,"
                    + " fingerprint, body) values (?, ?, ?, ?, ?, ?, ?::jsonb)"
                    + " on conflict (request_id) do nothing")
            .param(requestId)
            .param(orderId)
            .param(factory)
            .param(line)
            .param(chips)
            .param(fingerprint)
            .param(json)
            .update()
        == 1;
  }

  Optional<Row> find(UUID requestId) {
    return jdbc.sql("select " + COLUMNS + " from package_request where request_id = ?")
        .param(requestId)
        .query(PackageRequestRepository::row)
        .optional();
  }

  /** Stores the answer unless one is stored; false if one was. */
  boolean answer(UUID requestId, String json) {
    return jdbc.sql(
                "update package_request set answer = ?::jsonb, answered_at = now()"
                    + " where request_id = ? and answer is null")
            .param(json)
            .param(requestId)
            .update()
        == 1;
  }

  /** Up to {@code limit} requests after {@code (xid, id)}, of transactions older than any open. */
  List<Row> after(String xid, long id, int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from package_request where (tx_xid, id) > (?::xid8, ?)"
                + " and tx_xid < pg_snapshot_xmin(pg_current_snapshot())"
                + " order by tx_xid, id limit ?")
        .param(xid)
        .param(id)
        .param(limit)
        .query(PackageRequestRepository::row)
        .list();
  }

  private static Row row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    return new Row(
        rs.getString(1),
        rs.getLong(2),
        rs.getObject(3, UUID.class),
        rs.getObject(4, UUID.class),
        rs.getString(5),
        rs.getString(6),
        rs.getBytes(7),
        rs.getString(8),
        rs.getString(9),
        rs.getTimestamp(10).toInstant());
  }
}
