package org.ifpp.keymaker.requests;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Package requests as the Key Maker handled them, and the broker cursor of their feed. */
@Repository
class PackageRequestRepository {

  /** A handled request that is not answered at the broker yet. */
  record Open(
      UUID requestId,
      UUID batchId,
      String state,
      String refused,
      String answer,
      java.time.Instant receivedAt) {}

  /** One chip's latest binding in a batch: its transactionId once it has a delivered package. */
  record Bound(String eid, String state, byte[] transactionId, boolean delivered) {}

  private final JdbcClient jdbc;

  PackageRequestRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  boolean exists(UUID requestId) {
    return jdbc.sql("select count(*) from package_requests where request_id = ?")
            .param(requestId)
            .query(Integer.class)
            .single()
        > 0;
  }

  /** Records a handled request (fails with a duplicate key if it was handled already). */
  void insert(
      UUID requestId,
      UUID orderId,
      String factory,
      String line,
      UUID batchId,
      String state,
      String refusedJson,
      String answerJson) {
    jdbc.sql(
            "insert into package_requests (request_id, order_id, factory, line, batch_id, state,"
                + " refused, answer) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)")
        .param(requestId)
        .param(orderId)
        .param(factory)
        .param(line)
        .param(batchId)
        .param(state)
        .param(refusedJson)
        .param(answerJson)
        .update();
  }

  List<Open> open() {
    return jdbc.sql(
            "select request_id, batch_id, state, refused::text, answer::text, received_at"
                + " from package_requests where state <> 'ANSWERED' order by received_at limit 100")
        .query(
            (rs, i) ->
                new Open(
                    rs.getObject(1, UUID.class),
                    rs.getObject(2, UUID.class),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getTimestamp(6).toInstant()))
        .list();
  }

  void ready(UUID requestId, String answerJson) {
    jdbc.sql(
            "update package_requests set state = 'READY', answer = ?::jsonb"
                + " where request_id = ? and state = 'PLANNED'")
        .param(answerJson)
        .param(requestId)
        .update();
  }

  void answered(UUID requestId) {
    jdbc.sql(
            "update package_requests set state = 'ANSWERED', answered_at = now()"
                + " where request_id = ?")
        .param(requestId)
        .update();
  }

  /** Each chip's latest binding in the batch, and whether its package reached the broker. */
  List<Bound> bindings(UUID batchId) {
    return jdbc.sql(
            "select distinct on (e.eid) e.eid, b.state, b.transaction_id,"
                + " exists (select 1 from outbox o where o.binding_id = b.id and o.state = 'SENT')"
                + " from bindings b join euiccs e on e.id = b.euicc_id where b.batch_id = ?"
                + " order by e.eid, b.id desc")
        .param(batchId)
        .query(
            (rs, i) ->
                new Bound(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getBoolean(4)))
        .list();
  }

  Optional<String> cursor() {
    return jdbc.sql("select cursor from broker_cursor where name = 'package-requests'")
        .query(String.class)
        .optional();
  }

  void saveCursor(String cursor) {
    jdbc.sql(
            "insert into broker_cursor (name, cursor) values ('package-requests', ?)"
                + " on conflict (name) do update set cursor = excluded.cursor")
        .param(cursor)
        .update();
  }
}
