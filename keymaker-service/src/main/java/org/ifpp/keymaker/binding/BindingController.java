package org.ifpp.keymaker.binding;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.keymaker.orders.OrderId;
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
import org.springframework.web.bind.annotation.RestController;

/** Operator API: plan a binding batch and follow its progress. */
@RestController
@RequestMapping(path = "/api/v1/bindings", produces = "application/json")
@Tag(name = "bindings", description = "bind profiles to eUICC one-time keys")
class BindingController {

  private final BindingService service;
  private final BindingRunner runner;
  private final BindingRebinder rebinder;
  private final IdempotencyService idempotency;

  BindingController(
      BindingService service,
      BindingRunner runner,
      BindingRebinder rebinder,
      IdempotencyService idempotency) {
    this.service = service;
    this.runner = runner;
    this.rebinder = rebinder;
    this.idempotency = idempotency;
  }

  record AbandonResponse(String transactionId, boolean rebinding) {}

  @PostMapping("/{transactionId}/abandon")
  @Operation(
      summary = "Give up a delivered binding that never got a result; re-bind its profile",
      description = "409 binding-not-abandonable; the re-bind uses another key of the same chip")
  ResponseEntity<AbandonResponse> abandon(
      @RequestHeader(name = IdempotencyService.HEADER, required = false) String key,
      @PathVariable TransactionId transactionId) {
    return idempotency
        .execute(
            Role.OPERATOR.name(),
            key,
            "abandon",
            transactionId.toHex(),
            AbandonResponse.class,
            () ->
                new AbandonResponse(
                    transactionId.toHex(), rebinder.abandon(transactionId, "operator")))
        .respond(HttpStatus.OK);
  }

  /**
   * Either {@code pool} + {@code eids} (the next available profiles of the pool, one per EID) or
   * explicit {@code pairs}; with {@code orderId}, the batch runs under that production order (its
   * pool, its devices: {@code eids} may be left out for an order that lists them).
   */
  record BindRequest(
      String pool, List<String> eids, List<BindingService.Pair> pairs, String orderId) {}

  record BindResponse(UUID batchId, int total) {}

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Plan a binding batch (bound asynchronously; follow GET /batches/{id})",
      description =
          "409 not-enough-profiles / no-one-time-key / profile-not-available /"
              + " device-already-in-order / order-full / order-closed, 422 unknown-eid /"
              + " unknown-profile / eid-not-in-order, 404 unknown-order, 400"
              + " invalid-binding-request / invalid-eid / invalid-order-id")
  ResponseEntity<BindResponse> bind(
      @RequestHeader(name = IdempotencyService.HEADER, required = false) String key,
      @RequestBody BindRequest request) {
    if (request == null) {
      throw new DomainException(KeymakerError.INVALID_BINDING_REQUEST, "empty request");
    }
    String pool = request.pool() == null ? "default" : request.pool();
    IdempotencyService.Outcome<BindResponse> planned =
        idempotency.execute(
            Role.OPERATOR.name(),
            key,
            "bind",
            request,
            BindResponse.class,
            () -> {
              UUID batch =
                  request.orderId() == null
                      ? service.plan("operator", pool, request.eids(), request.pairs())
                      : service.planForOrder(
                          "operator", orderId(request), request.pool(), request.eids());
              return new BindResponse(batch, service.progress(batch).total());
            });
    runner.wakeUp();
    return planned.respond(HttpStatus.ACCEPTED);
  }

  private static OrderId orderId(BindRequest request) {
    if (request.pairs() != null && !request.pairs().isEmpty()) {
      throw new DomainException(
          KeymakerError.INVALID_BINDING_REQUEST, "an order binds from its pool: no pairs");
    }
    try {
      return OrderId.of(request.orderId());
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_ORDER_ID, "order ids are UUIDs");
    }
  }

  @GetMapping("/batches/{batchId}")
  @Operation(summary = "Progress of a batch: counts by state, percentages bound and delivered")
  BindingService.Progress progress(@PathVariable String batchId) {
    UUID id;
    try {
      id = UUID.fromString(batchId);
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_BATCH_ID, "batch ids are UUIDs");
    }
    return service.progress(id);
  }
}
