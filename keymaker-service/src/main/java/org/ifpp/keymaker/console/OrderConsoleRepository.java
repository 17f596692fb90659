package org.ifpp.keymaker.console;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.keymaker.orders.Order;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.orders.OrderState;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The console's read-only views of production orders: the latest orders, their devices counted by
 * stage (set-based: each device's latest binding under the order, its package's delivery, the
 * chip's finalisation), and the devices to reconcile with the factory's latest claim. Orders are
 * created and bound through {@code OrderService} and {@code BindingService}, never here.
 */
@Repository
class OrderConsoleRepository {

  /** Each device's latest binding under its order, with its delivery and the chip's receipts. */
  private static final String LATEST =
      "with latest as (select distinct on (t.order_id, b.euicc_id) t.order_id, b.euicc_id, b.id,"
          + " b.state from batches t join bindings b on b.batch_id = t.id"
          + " where t.order_id = any (?::uuid[]) order by t.order_id, b.euicc_id, b.id desc),"
          + " x as (select l.order_id, e.eid, l.state, coalesce(o.state = 'SENT', false) as sent,"
          + " exists (select 1 from finalisation_receipts r where r.euicc_id = l.euicc_id)"
          + " as finalised from latest l join euiccs e on e.id = l.euicc_id"
          + " left join outbox o on o.binding_id = l.id) ";

  private final JdbcClient jdbc;

  OrderConsoleRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The latest orders, newest first. */
  List<Order> latest(int limit) {
    return jdbc.sql(
            "select id, pool, factory, device_count, explicit_eids, state, created_at from orders"
                + " order by created_at desc limit ?")
        .param(limit)
        .query(
            (rs, i) ->
                new Order(
                    new OrderId(rs.getObject(1, UUID.class)),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getInt(4),
                    rs.getBoolean(5),
                    OrderState.valueOf(rs.getString(6)),
                    rs.getTimestamp(7).toInstant()))
        .list();
  }

  /**
   * An order's devices by stage: {@code admitted} devices (listed, or bound so far), of which
   * {@code waiting} have no package yet (not bound, planned or reserved), {@code bound} a package
   * not yet delivered, {@code delivered} a package at the broker (whatever came after), {@code
   * unreported} a delivered package without a result; the latest binding {@code installed}, {@code
   * failed} or {@code abandoned}; {@code finalised} chips proved their finalisation.
   */
  record Counts(
      long admitted,
      long waiting,
      long bound,
      long delivered,
      long installed,
      long failed,
      long abandoned,
      long unreported,
      long finalised) {

    static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  Map<UUID, Counts> counts(List<UUID> ids) {
    String[] orders = ids.stream().map(UUID::toString).toArray(String[]::new);
    Map<UUID, Counts> out = new HashMap<>();
    jdbc.sql(
            LATEST
                + "select d.order_id, count(*),"
                + " count(*) filter (where x.state is null or x.state in ('PLANNED', 'RESERVED')),"
                + " count(*) filter (where x.state = 'BOUND' and not x.sent),"
                + " count(*) filter (where x.sent),"
                + " count(*) filter (where x.state = 'INSTALLED'),"
                + " count(*) filter (where x.state = 'FAILED'),"
                + " count(*) filter (where x.state = 'ABANDONED'),"
                + " count(*) filter (where x.state = 'BOUND' and x.sent),"
                + " count(*) filter (where x.finalised)"
                + " from order_devices d left join x on x.order_id = d.order_id and x.eid = d.eid"
                + " where d.order_id = any (?::uuid[]) group by d.order_id")
        .param(orders)
        .param(orders)
        .query(
            rs -> {
              out.put(
                  rs.getObject(1, UUID.class),
                  new Counts(
                      rs.getLong(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getLong(6),
                      rs.getLong(7),
                      rs.getLong(8),
                      rs.getLong(9),
                      rs.getLong(10)));
            });
    return out;
  }

  /**
   * A device to reconcile: its latest binding failed or abandoned, or delivered without a result;
   * with the chip's or the Key Maker's reason and the factory's latest claim (loading report).
   */
  record Open(
      String eid,
      String iccid,
      String state,
      String transactionId,
      int attempt,
      String reason,
      String claim,
      String claimReason,
      Instant since) {

    /** Delivered, no result yet: the operator may abandon it and re-bind its profile. */
    public boolean unreported() {
      return "UNREPORTED".equals(state);
    }
  }

  List<Open> reconciliation(UUID order, int limit) {
    return jdbc.sql(
            "with latest as (select distinct on (b.euicc_id) b.euicc_id, b.id from batches t"
                + " join bindings b on b.batch_id = t.id where t.order_id = ?"
                + " order by b.euicc_id, b.id desc),"
                + " claims as (select distinct on (c.eid) c.eid, c.claimed_outcome, c.reason"
                + " from loading_report_entries c join loading_reports r on r.id = c.report_id"
                + " where r.order_id = ? order by c.eid, r.received_at desc)"
                + " select e.eid, p.iccid, case when b.state = 'BOUND' then 'UNREPORTED'"
                + " else b.state end, upper(encode(b.transaction_id, 'hex')), b.attempt,"
                + " b.result_code, c.claimed_outcome, c.reason, b.updated_at"
                + " from latest l join bindings b on b.id = l.id"
                + " join euiccs e on e.id = b.euicc_id join profiles p on p.id = b.profile_id"
                + " left join outbox o on o.binding_id = b.id left join claims c on c.eid = e.eid"
                + " where b.state in ('FAILED', 'ABANDONED')"
                + " or (b.state = 'BOUND' and o.state = 'SENT')"
                + " order by 3 desc, e.eid limit ?")
        .param(order)
        .param(order)
        .param(limit)
        .query(
            (rs, i) ->
                new Open(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getInt(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getTimestamp(9).toInstant()))
        .list();
  }
}
