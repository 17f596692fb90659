package org.ifpp.keymaker.orders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ifpp.crypto.ids.TransactionId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Orders, their devices, and each device's latest binding under the order. */
@Repository
public class OrderRepository {

  /**
   * Each device of the order with its latest binding under one of the order's batches (a failed
   * attempt is re-planned in the same batch, so the latest one is the device's current state). The
   * latest bindings are found once for the whole order: a lookup per device scanned the batch's
   * bindings again for each device (86 s of PostgreSQL CPU for an order of 10,000).
   */
  private static final String DEVICES =
      "with o as (select ?::uuid as id), latest as (select distinct on (b.euicc_id) b.euicc_id,"
          + " b.profile_id, b.state, b.transaction_id, b.result_code, b.attempt from o"
          + " join batches t on t.order_id = o.id join bindings b on b.batch_id = t.id"
          + " order by b.euicc_id, b.id desc)"
          + " select d.eid, d.bound, p.iccid, b.state, b.transaction_id, b.result_code, b.attempt"
          + " from o join order_devices d on d.order_id = o.id left join euiccs e on e.eid = d.eid"
          + " left join latest b on b.euicc_id = e.id left join profiles p on p.id = b.profile_id";

  private final JdbcClient jdbc;

  OrderRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(Order order) {
    jdbc.sql(
            "insert into orders (id, pool, factory, device_count, explicit_eids, state)"
                + " values (?, ?, ?, ?, ?, ?)")
        .param(order.id().value())
        .param(order.pool())
        .param(order.factory())
        .param(order.deviceCount())
        .param(order.explicitEids())
        .param(order.state().name())
        .update();
  }

  /** Adds devices (an EID already in the order is left as it is). */
  void addDevices(OrderId id, String[] eids) {
    jdbc.sql(
            "insert into order_devices (order_id, eid) select ?, v.eid from unnest(?::varchar[])"
                + " as v (eid) on conflict do nothing")
        .param(id.value())
        .param(eids)
        .update();
  }

  void markBound(OrderId id, String[] eids) {
    jdbc.sql("update order_devices set bound = true where order_id = ? and eid = any (?)")
        .param(id.value())
        .param(eids)
        .update();
  }

  public Optional<Order> find(OrderId id) {
    return jdbc.sql("select * from orders where id = ?")
        .param(id.value())
        .query(OrderRepository::order)
        .optional();
  }

  /** The order, locked until the transaction ends (admissions are serialised per order). */
  Optional<Order> lock(OrderId id) {
    return jdbc.sql("select * from orders where id = ? for update")
        .param(id.value())
        .query(OrderRepository::order)
        .optional();
  }

  public void setState(OrderId id, OrderState state) {
    jdbc.sql("update orders set state = ?, updated_at = now() where id = ?")
        .param(state.name())
        .param(id.value())
        .update();
  }

  /** The order's devices among {@code eids}, each with whether it was bound already. */
  Map<String, Boolean> devices(OrderId id, String[] eids) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    jdbc.sql("select eid, bound from order_devices where order_id = ? and eid = any (?)")
        .param(id.value())
        .param(eids)
        .query(
            rs -> {
              out.put(rs.getString(1), rs.getBoolean(2));
            });
    return out;
  }

  /** The listed devices not bound yet, in EID order. */
  List<String> unbound(OrderId id) {
    return jdbc.sql("select eid from order_devices where order_id = ? and not bound order by eid")
        .param(id.value())
        .query(String.class)
        .list();
  }

  int deviceTotal(OrderId id) {
    return jdbc.sql("select count(*) from order_devices where order_id = ?")
        .param(id.value())
        .query(Integer.class)
        .single();
  }

  /** A page of the order's devices in EID order. */
  public List<OrderDevice> devices(OrderId id, int offset, int limit) {
    return jdbc.sql(DEVICES + " order by d.eid offset ? limit ?")
        .param(id.value())
        .param(offset)
        .param(limit)
        .query(OrderRepository::device)
        .list();
  }

  /** Every device of the order (reconciliation reads them all), in EID order. */
  public List<OrderDevice> allDevices(OrderId id) {
    return jdbc.sql(DEVICES + " order by d.eid")
        .param(id.value())
        .query(OrderRepository::device)
        .list();
  }

  /**
   * Every binding made under the order, each attempt included, as {@code EID/transactionId} (hex,
   * upper case): what a loading report of this order may name (docs/orders.md, reconciliation).
   */
  public java.util.Set<String> bindingsOf(OrderId id) {
    java.util.Set<String> out = new java.util.HashSet<>();
    jdbc.sql(
            "select e.eid, b.transaction_id from batches t join bindings b on b.batch_id = t.id"
                + " join euiccs e on e.id = b.euicc_id"
                + " where t.order_id = ? and b.transaction_id is not null")
        .param(id.value())
        .query(
            rs -> {
              out.add(rs.getString(1) + "/" + TransactionId.of(rs.getBytes(2)).toHex());
            });
    return out;
  }

  /** The order's devices counted by their current state ({@code NOT_BOUND} included). */
  Map<String, Long> stateCounts(OrderId id) {
    Map<String, Long> out = new LinkedHashMap<>();
    jdbc.sql("select coalesce(x.state, 'NOT_BOUND'), count(*) from (" + DEVICES + ") x group by 1")
        .param(id.value())
        .query(
            rs -> {
              out.put(rs.getString(1), rs.getLong(2));
            });
    return out;
  }

  private static Order order(ResultSet rs, int i) throws SQLException {
    return new Order(
        new OrderId(rs.getObject("id", java.util.UUID.class)),
        rs.getString("pool"),
        rs.getString("factory"),
        rs.getInt("device_count"),
        rs.getBoolean("explicit_eids"),
        OrderState.valueOf(rs.getString("state")),
        rs.getTimestamp("created_at").toInstant());
  }

  private static OrderDevice device(ResultSet rs, int i) throws SQLException {
    byte[] tx = rs.getBytes("transaction_id");
    String state = rs.getString("state");
    return new OrderDevice(
        rs.getString("eid"),
        rs.getString("iccid"),
        state == null ? "NOT_BOUND" : state,
        tx == null ? null : TransactionId.of(tx),
        rs.getString("result_code"),
        rs.getInt("attempt"));
  }
}
