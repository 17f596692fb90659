package org.ifpp.broker.finalisation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.Scope;
import org.ifpp.broker.lines.Claimant;
import org.ifpp.broker.web.Headers;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The chips' finalisation receipts: a line reports them (scope report), the Key Maker pulls them
 * after a cursor (scope export) and verifies them.
 */
@RestController
@RequestMapping(path = "/api/v1/finalisation-receipts", produces = "application/json")
@Tag(name = "finalisation")
class FinalisationReceiptController {

  private final FinalisationReceiptService service;

  FinalisationReceiptController(FinalisationReceiptService service) {
    this.service = service;
  }

  record ReceiptsRequest(String format, List<FinalisationReceiptService.Filed> receipts) {}

  record ReceiptsResponse(List<FinalisationReceiptService.Outcome> receipts) {}

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Report the chips' finalisation receipts (the line step's receipts file)",
      description =
          "Structure checked only (BF7B naming the EID filed under); per receipt KEPT, DUPLICATE"
              + " or REJECTED with a code. The Key Maker verifies the signatures.")
  ReceiptsResponse report(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.LINE_ID, required = false) String lineId,
      @RequestBody ReceiptsRequest request) {
    client.require(Scope.REPORT);
    Claimant line = Claimant.of(client, lineId);
    return new ReceiptsResponse(
        service.report(line.line(), request == null ? null : request.receipts()));
  }

  @GetMapping
  @Operation(
      summary = "Finalisation receipts after a cursor (the Key Maker's feed)",
      description = "Start without 'after'; then pass the returned nextCursor.")
  FinalisationReceiptService.Page receipts(
      @Parameter(hidden = true) ApiClient client,
      @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "500") int limit) {
    client.require(Scope.EXPORT);
    return service.export(after, limit);
  }
}
