package org.ifpp.keymaker.finalisation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator API: import the chips' finalisation receipts (the file the device maker's line step
 * writes, docs/factory-line.md) and see which chips of a batch, or which chip, proved its
 * finalisation.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
@Tag(name = "finalisation", description = "the chips' signed finalisation receipts")
class FinalisationController {

  /** The receipts file's format tag (the line's {@code FinalisationRun.FORMAT}). */
  static final String FORMAT = "ifpp-finalisation-receipts/1";

  static final int MAX_RECEIPTS = 10_000;

  private final FinalisationReceiptService service;

  FinalisationController(FinalisationReceiptService service) {
    this.service = service;
  }

  record ReceiptUpload(String eid, String receipt) {}

  record ReceiptsRequest(String format, List<ReceiptUpload> receipts) {}

  record ReceiptsResponse(
      long accepted,
      long duplicate,
      long rejected,
      List<FinalisationReceiptService.ItemOutcome> receipts) {}

  @PostMapping(path = "/finalisation-receipts", consumes = "application/json")
  @Operation(
      summary = "Import finalisation receipts (BF7B, base64), each verified with CERT.EUICC",
      description =
          "Per receipt: ACCEPTED, DUPLICATE, or REJECTED with receipt-malformed,"
              + " receipt-eid-mismatch, receipt-unknown-eid, receipt-signature-invalid or"
              + " receipt-ifpp-not-locked (audited)")
  ReceiptsResponse importReceipts(@RequestBody ReceiptsRequest request) {
    if (request == null || !FORMAT.equals(request.format())) {
      throw new DomainException(KeymakerError.UNSUPPORTED_FORMAT, "format must be " + FORMAT);
    }
    if (request.receipts() == null || request.receipts().isEmpty()) {
      throw new DomainException(KeymakerError.EMPTY_RECEIPTS, "receipts: at least one");
    }
    if (request.receipts().size() > MAX_RECEIPTS) {
      throw new DomainException(
          KeymakerError.TOO_MANY_RECEIPTS, "at most " + MAX_RECEIPTS + " per request");
    }
    List<FinalisationReceiptService.Filed> filed = new ArrayList<>();
    for (ReceiptUpload u : request.receipts()) {
      byte[] bytes;
      try {
        bytes = u == null || u.receipt() == null ? new byte[0] : decode(u.receipt());
      } catch (IllegalArgumentException e) {
        bytes = new byte[0]; // refused as receipt-malformed, like any other bad receipt
      }
      filed.add(new FinalisationReceiptService.Filed(u == null ? null : u.eid(), bytes));
    }
    List<FinalisationReceiptService.ItemOutcome> out = service.importReceipts("operator", filed);
    return new ReceiptsResponse(
        count(out, "ACCEPTED"), count(out, "DUPLICATE"), count(out, "REJECTED"), out);
  }

  record BatchFinalisation(
      UUID batchId,
      int chips,
      long finalised,
      List<String> notFinalised,
      List<FinalisationStatus.ChipFinalisation> details) {}

  @GetMapping("/bindings/batches/{batchId}/finalisation")
  @Operation(summary = "Which chips of a batch proved their finalisation, which did not")
  BatchFinalisation ofBatch(@PathVariable String batchId) {
    UUID id;
    try {
      id = UUID.fromString(batchId);
    } catch (IllegalArgumentException e) {
      throw new DomainException(KeymakerError.INVALID_BATCH_ID, "batch ids are UUIDs");
    }
    List<FinalisationStatus.ChipFinalisation> chips = service.ofBatch(id);
    return new BatchFinalisation(
        id,
        chips.size(),
        chips.stream().filter(FinalisationStatus.ChipFinalisation::finalised).count(),
        chips.stream().filter(c -> !c.finalised()).map(c -> c.eid().value()).toList(),
        chips);
  }

  /** A chip the Key Maker refused a receipt of, with the refusal's code. */
  record Refused(String eid, String code) {}

  record OrderFinalisation(
      String orderId,
      int devices,
      long finalised,
      long refused,
      long notFinalised,
      List<Refused> refusedChips,
      List<String> notFinalisedChips) {}

  @GetMapping("/orders/{orderId}/finalisation")
  @Operation(
      summary = "Per production order: chips finalised (verified receipt), refused, not finalised",
      description =
          "finalised: a verified receipt is stored; refused: the Key Maker refused the chip's"
              + " latest receipt (its code) and holds no verified one; notFinalised: no receipt"
              + " at all. 404 unknown-order, 400 invalid-order-id")
  OrderFinalisation ofOrder(@PathVariable("orderId") OrderId id) {
    List<FinalisationStatus.ChipFinalisation> chips = service.ofOrder(id);
    List<Refused> refused =
        chips.stream()
            .filter(c -> !c.finalised() && c.refusal() != null)
            .map(c -> new Refused(c.eid().value(), c.refusal()))
            .toList();
    List<String> none =
        chips.stream()
            .filter(c -> !c.finalised() && c.refusal() == null)
            .map(c -> c.eid().value())
            .toList();
    return new OrderFinalisation(
        id.toString(),
        chips.size(),
        chips.size() - refused.size() - none.size(),
        refused.size(),
        none.size(),
        refused,
        none);
  }

  @GetMapping("/euiccs/{eid}/finalisation")
  @Operation(summary = "Whether a chip proved its finalisation, with its latest receipt's data")
  FinalisationStatus.ChipFinalisation ofChip(@PathVariable("eid") Eid id) {
    Map<Eid, FinalisationStatus.ChipFinalisation> found = service.finalisationOf(List.of(id));
    if (!found.containsKey(id)) {
      throw new DomainException(KeymakerError.EUICC_NOT_FOUND, "no eUICC " + id);
    }
    return found.get(id);
  }

  private static byte[] decode(String base64) {
    return Base64.getDecoder().decode(base64.strip());
  }

  private static long count(List<FinalisationReceiptService.ItemOutcome> out, String outcome) {
    return out.stream().filter(o -> outcome.equals(o.outcome())).count();
  }
}
