package org.ifpp.keymaker.orders;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.keymaker.web.Role;
import org.ifpp.web.DomainException;
import org.ifpp.web.idempotency.IdempotencyService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator API: create production orders, follow them device by device. Packages are bound under an
 * order through {@code POST /api/v1/bindings} with {@code orderId}.
 */
@RestController
@RequestMapping(path = "/api/v1/orders", produces = "application/json")
@Tag(name = "orders", description = "production orders: pool, factory, devices, progress")
class OrderController {

  private final OrderService service;
  private final IdempotencyService idempotency;

  OrderController(OrderService service, IdempotencyService idempotency) {
    this.service = service;
    this.idempotency = idempotency;
  }

  /** Either {@code deviceCount} or an explicit list of {@code eids}. */
  record CreateRequest(String pool, String factory, Integer deviceCount, List<String> eids) {}

  record OrderResponse(
      String orderId,
      String pool,
      String factory,
      int deviceCount,
      boolean explicitEids,
      OrderState state,
      Instant createdAt) {
    static OrderResponse of(Order o) {
      return new OrderResponse(
          o.id().toString(),
          o.pool(),
          o.factory(),
          o.deviceCount(),
          o.explicitEids(),
          o.state(),
          o.createdAt());
    }
  }

  record DeviceResponse(
      String eid,
      String iccid,
      String state,
      String transactionId,
      String resultCode,
      int attempts) {}

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Create a production order for this Key Maker's factory",
      description =
          "400 invalid-order / invalid-pool / invalid-eid / duplicate-in-batch,"
              + " 422 unknown-factory")
  ResponseEntity<OrderResponse> create(
      @RequestHeader(name = IdempotencyService.HEADER, required = false) String key,
      @RequestBody CreateRequest request) {
    if (request == null) {
      throw new DomainException(KeymakerError.INVALID_ORDER, "empty request");
    }
    return idempotency
        .execute(
            Role.OPERATOR.name(),
            key,
            "order",
            request,
            OrderResponse.class,
            () ->
                OrderResponse.of(
                    service.create(
                        "operator",
                        request.pool(),
                        request.factory(),
                        request.deviceCount(),
                        request.eids())))
        .respond(HttpStatus.CREATED);
  }

  @GetMapping("/{orderId}")
  @Operation(summary = "An order and its progress: its devices counted by current state")
  OrderService.Progress progress(@PathVariable OrderId orderId) {
    return service.progress(orderId);
  }

  @GetMapping("/{orderId}/devices")
  @Operation(
      summary = "The order's devices in EID order: the ICCID bound to each, its latest state")
  List<DeviceResponse> devices(
      @PathVariable OrderId orderId,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "100") int limit) {
    if (offset < 0 || limit < 1 || limit > 1000) {
      throw new DomainException(KeymakerError.INVALID_PAGE, "offset >= 0, 1 <= limit <= 1000");
    }
    return service.devices(orderId, offset, limit).stream()
        .map(
            d ->
                new DeviceResponse(
                    d.eid(),
                    d.iccid(),
                    d.state(),
                    d.transactionId() == null ? null : d.transactionId().toHex(),
                    d.resultCode(),
                    d.attempts()))
        .toList();
  }
}
