package org.ifpp.keymaker.reports;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.web.Role;
import org.ifpp.web.idempotency.IdempotencyService;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The factory's loading report in (broker credential: the broker forwards what its lines send), the
 * operator's signed report out (operator credential).
 */
@RestController
@Tag(name = "reports", description = "loading reports (ESBPP03) and the operator's report")
class LoadingReportController {

  private final LoadingReportService loading;
  private final OperatorReportService operator;
  private final IdempotencyService idempotency;

  LoadingReportController(
      LoadingReportService loading,
      OperatorReportService operator,
      IdempotencyService idempotency) {
    this.loading = loading;
    this.operator = operator;
    this.idempotency = idempotency;
  }

  @PostMapping(
      path = "/api/v1/loading-reports",
      consumes = "application/json",
      produces = "application/json")
  @Operation(
      summary = "An order's loading report: every device, signed result or the line's reason",
      description =
          "400 unsupported-format / invalid-loading-report / invalid-eid / invalid-order-id /"
              + " duplicate-in-batch, 404 unknown-order, 422 eid-not-in-order /"
              + " loading-report-incomplete")
  ResponseEntity<LoadingReportService.Receipt> receive(
      @RequestHeader(name = IdempotencyService.HEADER, required = false) String key,
      @RequestBody LoadingReport report) {
    return idempotency
        .execute(
            Role.BROKER.name(),
            key,
            "loading-report",
            report,
            LoadingReportService.Receipt.class,
            () -> loading.receive("broker", report))
        .respond(HttpStatus.OK);
  }

  @GetMapping(path = "/api/v1/orders/{orderId}/operator-report", produces = "application/json")
  @Operation(
      summary = "The order's operator's report, signed in the HSM (a file to keep and verify)",
      description = "ifpp-signed-operator-report/1; 404 unknown-order, 400 invalid-order-id")
  ResponseEntity<SignedOperatorReport> operatorReport(@PathVariable("orderId") OrderId id) {
    return ResponseEntity.ok()
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            "attachment; filename=\"operator-report-" + id + ".json\"")
        .body(operator.signed("operator", id));
  }
}
