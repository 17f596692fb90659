package org.ifpp.keymaker.reports;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.keymaker.orders.OrderId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Loading reports and their entries, as received and checked. */
@Repository
class LoadingReportRepository {

  /** One stored entry (the latest report's, per EID, when read back). */
  record StoredEntry(
      String eid,
      String claimedOutcome,
      String reason,
      byte[] transactionId,
      String verification,
      String code) {}

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  LoadingReportRepository(JdbcClient jdbc, JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  void insert(UUID id, OrderId order, String actor, int devices) {
    jdbc.sql("insert into loading_reports (id, order_id, actor, devices) values (?, ?, ?, ?)")
        .param(id)
        .param(order.value())
        .param(actor)
        .param(devices)
        .update();
  }

  void insertEntries(UUID report, List<StoredEntry> entries) {
    batch.batchUpdate(
        "insert into loading_report_entries (report_id, eid, claimed_outcome, reason,"
            + " transaction_id, verification, code) values (?, ?, ?, ?, ?, ?, ?)",
        entries.stream()
            .map(
                e ->
                    new Object[] {
                      report,
                      e.eid(),
                      e.claimedOutcome(),
                      e.reason(),
                      e.transactionId(),
                      e.verification(),
                      e.code()
                    })
            .toList());
  }

  /** Per EID, the entry of the order's latest report that names it. */
  Map<String, StoredEntry> latestEntries(OrderId order) {
    Map<String, StoredEntry> out = new HashMap<>();
    jdbc.sql(
            "select distinct on (e.eid) e.eid, e.claimed_outcome, e.reason, e.transaction_id,"
                + " e.verification, e.code from loading_report_entries e join loading_reports r"
                + " on r.id = e.report_id where r.order_id = ?"
                + " order by e.eid, r.received_at desc")
        .param(order.value())
        .query(
            rs -> {
              out.put(
                  rs.getString(1),
                  new StoredEntry(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getBytes(4),
                      rs.getString(5),
                      rs.getString(6)));
            });
    return out;
  }

  long count(OrderId order) {
    return jdbc.sql("select count(*) from loading_reports where order_id = ?")
        .param(order.value())
        .query(Long.class)
        .single();
  }
}
