package org.ifpp.keymaker.orders;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.delivery.BrokerProperties;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates production orders and admits devices into them (docs/orders.md). An order is for the
 * factory this Key Maker delivers to ({@code keymaker.broker.target-factory}); its devices are
 * either listed at creation or admitted, up to its device count, as they are bound. A device is
 * bound under an order once: a failed or abandoned attempt is re-bound by the Key Maker itself (to
 * the same chip, docs/rules.md section 8), never admitted a second time.
 */
@Service
public class OrderService {

  static final int MAX_DEVICES = 100_000;
  private static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final OrderRepository orders;
  private final AuditLog audit;
  private final BrokerProperties broker;

  OrderService(OrderRepository orders, AuditLog audit, BrokerProperties broker) {
    this.orders = orders;
    this.audit = audit;
    this.broker = broker;
  }

  /** Creates an order: exactly one of {@code deviceCount} and {@code eids}. */
  @Transactional
  public Order create(
      String actor, String pool, String factory, Integer deviceCount, List<String> eids) {
    if (pool == null || !POOL.matcher(pool).matches()) {
      throw new DomainException(
          KeymakerError.INVALID_POOL, "pool: [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    }
    if (factory == null || !factory.equals(broker.targetFactory())) {
      throw new DomainException(
          KeymakerError.UNKNOWN_FACTORY,
          "this Key Maker delivers to factory " + broker.targetFactory());
    }
    boolean listed = eids != null && !eids.isEmpty();
    if (listed == (deviceCount != null)) {
      throw new DomainException(
          KeymakerError.INVALID_ORDER, "give either deviceCount or eids (not both, not neither)");
    }
    List<String> devices = listed ? distinctEids(eids) : List.of();
    int count = listed ? devices.size() : deviceCount;
    if (count < 1 || count > MAX_DEVICES) {
      throw new DomainException(
          KeymakerError.INVALID_ORDER, "an order is for 1 to " + MAX_DEVICES + " devices");
    }
    Order order =
        new Order(OrderId.random(), pool, factory, count, listed, OrderState.CREATED, null);
    orders.insert(order);
    if (listed) {
      orders.addDevices(order.id(), devices.toArray(String[]::new));
    }
    audit.append(
        AuditRecord.of(
            actor,
            "ORDER_CREATED",
            order.id().toString(),
            "pool",
            pool,
            "factory",
            factory,
            "devices",
            Integer.toString(count)));
    return orders.find(order.id()).orElseThrow();
  }

  public java.util.Optional<Order> find(OrderId id) {
    return orders.find(id);
  }

  public Order get(OrderId id) {
    return orders
        .find(id)
        .orElseThrow(() -> new DomainException(KeymakerError.UNKNOWN_ORDER, "no order " + id));
  }

  /**
   * Admits devices for binding under the order, in the caller's transaction (the binding plan's):
   * the order is locked, each EID checked and marked bound, the order IN_PRODUCTION.
   *
   * @param pool the pool the request names, or null (must be the order's)
   * @param eids the chips to bind, or null/empty for every listed device not bound yet
   * @return the order and the EIDs to bind
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Admission admit(OrderId id, String pool, List<String> eids) {
    Order order =
        orders
            .lock(id)
            .orElseThrow(() -> new DomainException(KeymakerError.UNKNOWN_ORDER, "no order " + id));
    if (pool != null && !pool.equals(order.pool())) {
      throw new DomainException(
          KeymakerError.INVALID_BINDING_REQUEST,
          "order " + id + " takes its profiles from pool " + order.pool());
    }
    if (order.state() == OrderState.REPORTED) {
      throw new DomainException(KeymakerError.ORDER_CLOSED, "order " + id + " was reported");
    }
    List<String> chosen;
    if (eids == null || eids.isEmpty()) {
      if (!order.explicitEids()) {
        throw new DomainException(
            KeymakerError.INVALID_BINDING_REQUEST, "order " + id + " lists no EIDs: give eids");
      }
      chosen = orders.unbound(id);
      if (chosen.isEmpty()) {
        throw new DomainException(
            KeymakerError.DEVICE_ALREADY_IN_ORDER, "every device of order " + id + " is bound");
      }
    } else {
      chosen = distinctEids(eids);
      String[] array = chosen.toArray(String[]::new);
      Map<String, Boolean> known = orders.devices(id, array);
      for (String eid : chosen) {
        Boolean bound = known.get(eid);
        if (Boolean.TRUE.equals(bound) || (bound != null && !order.explicitEids())) {
          throw new DomainException(
              KeymakerError.DEVICE_ALREADY_IN_ORDER, "EID " + eid + " is bound under order " + id);
        }
        if (bound == null && order.explicitEids()) {
          throw new DomainException(
              KeymakerError.EID_NOT_IN_ORDER, "EID " + eid + " is not a device of order " + id);
        }
      }
      if (!order.explicitEids()) {
        int admitted = orders.deviceTotal(id);
        if (admitted + chosen.size() > order.deviceCount()) {
          throw new DomainException(
              KeymakerError.ORDER_FULL,
              "order "
                  + id
                  + " is for "
                  + order.deviceCount()
                  + " devices, "
                  + admitted
                  + " admitted already");
        }
        orders.addDevices(id, array);
      }
    }
    orders.markBound(id, chosen.toArray(String[]::new));
    if (order.state() == OrderState.CREATED) {
      orders.setState(id, OrderState.IN_PRODUCTION);
    }
    return new Admission(order, chosen);
  }

  /**
   * Which of these chips (distinct, valid EIDs) the order would refuse now, and why, in order; read
   * only ({@link #admit} decides, under the order's lock). For a request that is answered chip by
   * chip (binding on request) rather than refused whole.
   */
  @Transactional(readOnly = true)
  public Map<String, KeymakerError> screen(OrderId id, List<String> eids) {
    Map<String, KeymakerError> refused = new LinkedHashMap<>();
    Order order = orders.find(id).orElse(null);
    if (order == null || order.state() == OrderState.REPORTED) {
      eids.forEach(
          e ->
              refused.put(
                  e, order == null ? KeymakerError.UNKNOWN_ORDER : KeymakerError.ORDER_CLOSED));
      return refused;
    }
    Map<String, Boolean> known = orders.devices(id, eids.toArray(String[]::new));
    int room = order.deviceCount() - orders.deviceTotal(id);
    for (String eid : eids) {
      Boolean bound = known.get(eid);
      if (Boolean.TRUE.equals(bound) || (bound != null && !order.explicitEids())) {
        refused.put(eid, KeymakerError.DEVICE_ALREADY_IN_ORDER);
      } else if (bound == null && order.explicitEids()) {
        refused.put(eid, KeymakerError.EID_NOT_IN_ORDER);
      } else if (!order.explicitEids() && room-- <= 0) {
        refused.put(eid, KeymakerError.ORDER_FULL);
      }
    }
    return refused;
  }

  /** The devices admitted by {@link #admit}. */
  public record Admission(Order order, List<String> eids) {}

  /** An order's progress: its devices counted by current state. */
  public record Progress(
      OrderId orderId,
      OrderState state,
      int deviceCount,
      int admitted,
      Map<String, Long> devices,
      double percentInstalled) {}

  public Progress progress(OrderId id) {
    Order order = get(id);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String s :
        List.of("NOT_BOUND", "PLANNED", "RESERVED", "BOUND", "INSTALLED", "FAILED", "ABANDONED")) {
      counts.put(s, 0L);
    }
    counts.putAll(orders.stateCounts(id));
    long installed = counts.get("INSTALLED");
    return new Progress(
        id,
        order.state(),
        order.deviceCount(),
        orders.deviceTotal(id),
        counts,
        100.0 * installed / order.deviceCount());
  }

  /** A page of the order's devices in EID order. */
  public List<OrderDevice> devices(OrderId id, int offset, int limit) {
    get(id);
    return orders.devices(id, offset, limit);
  }

  private static List<String> distinctEids(List<String> eids) {
    if (eids.size() > MAX_DEVICES) {
      throw new DomainException(KeymakerError.BATCH_TOO_LARGE, "at most 100000 devices");
    }
    List<String> out = new ArrayList<>(eids.size());
    Set<String> seen = new HashSet<>();
    for (String e : eids) {
      String eid;
      try {
        eid = Eid.of(e).value();
      } catch (IllegalArgumentException ex) {
        throw new DomainException(KeymakerError.INVALID_EID, String.valueOf(ex.getMessage()));
      }
      if (!seen.add(eid)) {
        throw new DomainException(
            KeymakerError.DUPLICATE_IN_BATCH, "EID " + eid + " listed twice: one profile per chip");
      }
      out.add(eid);
    }
    return out;
  }
}
