package org.ifpp.keymaker.console;

import java.util.List;
import java.util.UUID;
import org.ifpp.console.ConsoleSession;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's production orders (docs/orders.md): the latest orders with live progress, creating
 * one (a device count, or EIDs typed or in a file), an order's page (live progress by stage,
 * binding its devices, the reconciliation view with abandon-and-re-bind, the signed operator's
 * report to download). Every action goes through {@link OrdersConsole}.
 */
@Controller
@RequestMapping("/console/orders")
class OrdersConsoleController {

  private final OrdersConsole orders;
  private final KeymakerConsole console;
  private final ProgressStreams streams;
  private final ConsoleSession session;

  OrdersConsoleController(
      OrdersConsole orders,
      KeymakerConsole console,
      ProgressStreams streams,
      ConsoleSession session) {
    this.orders = orders;
    this.console = console;
    this.streams = streams;
    this.session = session;
  }

  @GetMapping
  String list(Model model) {
    model.addAttribute("page", "orders");
    model.addAttribute("orders", orders.latest());
    model.addAttribute("pools", console.profileCounts().keySet());
    model.addAttribute("factory", orders.factory());
    return "console/keymaker/orders";
  }

  @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ResponseBody
  SseEmitter listEvents() {
    return streams.latestOrders();
  }

  @PostMapping
  String create(
      @RequestParam(defaultValue = "default") String pool,
      @RequestParam(defaultValue = "") String deviceCount,
      @RequestParam(defaultValue = "") String eids,
      @RequestParam(name = "eidFile", required = false) MultipartFile eidFile,
      RedirectAttributes flash) {
    try {
      List<String> list = ConsoleForms.eids(eids, eidFile);
      Integer count = count(deviceCount);
      var order = orders.create(session.actor(), pool.strip(), count, list);
      flash.addFlashAttribute(
          "ok",
          "Order created for " + order.deviceCount() + " device(s) from pool " + order.pool());
      return "redirect:/console/orders/" + order.id();
    } catch (DomainException e) {
      flash.addFlashAttribute("error", ConsoleForms.refusal(e));
      return "redirect:/console/orders";
    }
  }

  @GetMapping("/{id}")
  String order(@PathVariable String id, Model model) {
    OrderId order = orderId(id);
    model.addAttribute("page", "orders");
    model.addAttribute("order", orders.get(order));
    model.addAttribute("progress", orders.progress(order));
    model.addAttribute("open", orders.reconciliation(order));
    return "console/keymaker/order";
  }

  @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ResponseBody
  SseEmitter events(@PathVariable String id) {
    return streams.open(orderId(id));
  }

  /** Binds the order's devices: the EIDs given, or every listed device not bound yet. */
  @PostMapping("/{id}/bind")
  String bind(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String eids,
      @RequestParam(name = "eidFile", required = false) MultipartFile eidFile,
      RedirectAttributes flash) {
    OrderId order = orderId(id);
    try {
      UUID batch = orders.bind(session.actor(), order, ConsoleForms.eids(eids, eidFile));
      flash.addFlashAttribute("ok", "Binding started (batch " + batch + ")");
    } catch (DomainException e) {
      flash.addFlashAttribute("error", ConsoleForms.refusal(e));
    }
    return "redirect:/console/orders/" + order;
  }

  /** Abandons a delivered package without a result; its profile is re-bound to the same chip. */
  @PostMapping("/{id}/abandon")
  String abandon(
      @PathVariable String id, @RequestParam String transactionId, RedirectAttributes flash) {
    OrderId order = orderId(id);
    ConsoleForms.abandon(
        flash, transactionId, () -> orders.abandon(session.actor(), transactionId));
    return "redirect:/console/orders/" + order;
  }

  /** The signed operator's report as a file (a POST: each signing is an audited HSM action). */
  @PostMapping("/{id}/report")
  ResponseEntity<byte[]> report(@PathVariable String id) {
    OrderId order = orderId(id);
    byte[] body = orders.signedReport(session.actor(), order);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename("operator-report-" + order + ".signed.json")
                .build()
                .toString())
        .body(body);
  }

  private static Integer count(String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(text.strip());
    } catch (NumberFormatException e) {
      throw new DomainException(KeymakerError.INVALID_ORDER, "the device count is a number");
    }
  }

  private static OrderId orderId(String id) {
    try {
      return OrderId.of(id);
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_ORDER_ID, "order ids are UUIDs");
    }
  }
}
