package org.ifpp.keymaker.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.keymaker.binding.BindingRebinder;
import org.ifpp.keymaker.binding.BindingRunner;
import org.ifpp.keymaker.binding.BindingService;
import org.ifpp.keymaker.delivery.BrokerProperties;
import org.ifpp.keymaker.orders.Order;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.orders.OrderService;
import org.ifpp.keymaker.reports.OperatorReportService;
import org.ifpp.keymaker.reports.SignedOperatorReport;
import org.ifpp.keymaker.web.Ids;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Production orders in the console (docs/orders.md): create one for this Key Maker's factory, bind
 * its devices, follow each order's devices by stage, reconcile, and take the signed operator's
 * report; every action through the same services as the API, with the console user as the audited
 * actor.
 */
@Service
class OrdersConsole {

  private final OrderConsoleRepository views;
  private final OrderService orders;
  private final BindingService bindings;
  private final BindingRunner runner;
  private final BindingRebinder rebinder;
  private final OperatorReportService reports;
  private final BrokerProperties broker;
  private final JsonMapper json;

  OrdersConsole(
      OrderConsoleRepository views,
      OrderService orders,
      BindingService bindings,
      BindingRunner runner,
      BindingRebinder rebinder,
      OperatorReportService reports,
      BrokerProperties broker,
      JsonMapper json) {
    this.views = views;
    this.orders = orders;
    this.bindings = bindings;
    this.runner = runner;
    this.rebinder = rebinder;
    this.reports = reports;
    this.broker = broker;
    this.json = json;
  }

  /** The factory this Key Maker delivers to: every order is for it. */
  String factory() {
    return broker.targetFactory();
  }

  /** Exactly one of {@code deviceCount} and {@code eids} (else {@code invalid-order}). */
  Order create(String actor, String pool, Integer deviceCount, List<String> eids) {
    return orders.create(actor, pool, factory(), deviceCount, eids.isEmpty() ? null : eids);
  }

  Order get(OrderId id) {
    return orders.get(id);
  }

  /**
   * Binds devices under the order: the chips in {@code eids}, or, when empty, every listed device
   * not bound yet.
   *
   * @return the binding batch
   */
  UUID bind(String actor, OrderId id, List<String> eids) {
    UUID batch = bindings.planForOrder(actor, id, null, eids.isEmpty() ? null : eids);
    runner.wakeUp();
    return batch;
  }

  /** An order's progress as its page, the list and their event streams show it. */
  record Progress(
      String orderId,
      String state,
      int deviceCount,
      long notAdmitted,
      long waiting,
      long bound,
      long delivered,
      long installed,
      long failed,
      long abandoned,
      long unreported,
      long finalised,
      double percentDone,
      long at) {

    static Progress of(Order o, OrderConsoleRepository.Counts c) {
      long notAdmitted = Math.max(0, o.deviceCount() - c.admitted());
      // Done: installed, failed for good or abandoned (the latest binding is the device's state).
      long ended = c.installed() + c.failed() + c.abandoned();
      return new Progress(
          o.id().toString(),
          o.state().name(),
          o.deviceCount(),
          notAdmitted,
          notAdmitted + c.waiting(),
          c.bound(),
          c.delivered(),
          c.installed(),
          c.failed(),
          c.abandoned(),
          c.unreported(),
          c.finalised(),
          Math.min(100.0, 100.0 * ended / o.deviceCount()),
          Instant.now().toEpochMilli());
    }
  }

  Progress progress(OrderId id) {
    Order o = orders.get(id);
    return Progress.of(
        o,
        views
            .counts(List.of(id.value()))
            .getOrDefault(id.value(), OrderConsoleRepository.Counts.NONE));
  }

  /** The latest orders, each with its progress (one query for all). */
  List<Progress> latest() {
    List<Order> latest = views.latest(20);
    Map<UUID, OrderConsoleRepository.Counts> counts =
        views.counts(latest.stream().map(o -> o.id().value()).toList());
    return latest.stream()
        .map(
            o ->
                Progress.of(
                    o, counts.getOrDefault(o.id().value(), OrderConsoleRepository.Counts.NONE)))
        .toList();
  }

  List<OrderConsoleRepository.Open> reconciliation(OrderId id) {
    orders.get(id);
    return views.reconciliation(id.value(), 200);
  }

  /** Abandons a delivered package without a result; its profile is re-bound to the same chip. */
  boolean abandon(String actor, String transactionId) {
    return rebinder.abandon(Ids.transactionId(transactionId), actor);
  }

  /** The signed operator's report, as the API answers it (signing audited). */
  byte[] signedReport(String actor, OrderId id) {
    SignedOperatorReport signed = reports.signed(actor, id);
    return json.writeValueAsBytes(signed);
  }
}
