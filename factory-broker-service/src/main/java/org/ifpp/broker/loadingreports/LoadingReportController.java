package org.ifpp.broker.loadingreports;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.Scope;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.broker.web.ExportCursor;
import org.ifpp.broker.web.Headers;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.web.DomainException;
import org.ifpp.web.idempotency.IdempotencyService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loading reports: a line (scope {@code report}) submits its order's report; the Key Maker (scope
 * {@code export}) pulls them after a cursor. The broker checks the shape (format, order id, one
 * entry per EID, known outcomes) and cannot check a signature; the Key Maker verifies and decides.
 */
@RestController
@RequestMapping(path = "/api/v1/loading-reports", produces = "application/json")
@Tag(name = "loading reports")
class LoadingReportController {

  static final int MAX_DEVICES = 100_000;
  private static final Set<String> OUTCOMES = Set.of("INSTALLED", "FAILED", "NO_RESULT");

  private final LoadingReportRepository reports;
  private final IdempotencyService idempotency;
  private final JsonMapper json = JsonMapper.builder().build();

  LoadingReportController(LoadingReportRepository reports, IdempotencyService idempotency) {
    this.reports = reports;
    this.idempotency = idempotency;
  }

  record Submitted(long reportId, String orderId, int devices) {}

  record Exported(
      long id,
      String orderId,
      String factory,
      String line,
      Instant receivedAt,
      LoadingReportBody report) {}

  record ExportPage(List<Exported> reports, String nextCursor, boolean hasMore) {}

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Submit an order's loading report (every device of the order)",
      description =
          "400 invalid-loading-report / invalid-eid; kept for the Key Maker to pull. With an"
              + " Idempotency-Key, the same report sent again is kept once and answered the same")
  ResponseEntity<Submitted> submit(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.IDEMPOTENCY_KEY, required = false) String key,
      @RequestBody LoadingReportBody body) {
    client.require(Scope.REPORT);
    UUID order = check(body);
    return Headers.replayed(
        ResponseEntity.accepted(),
        idempotency.execute(
            client.name(),
            key,
            "loading-report",
            body,
            Submitted.class,
            () -> {
              long id =
                  reports.insert(
                      order,
                      client.factory(),
                      client.line(),
                      body.devices().size(),
                      json.writeValueAsString(body));
              return new Submitted(id, order.toString(), body.devices().size());
            }));
  }

  @GetMapping
  @Operation(summary = "Loading reports after a cursor (start without 'after'), each once")
  ExportPage export(
      @Parameter(hidden = true) ApiClient client,
      @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "10") int limit) {
    client.require(Scope.EXPORT);
    ExportCursor.checkLimit(limit, 100);
    ExportCursor from = ExportCursor.after(after);
    List<LoadingReportRepository.Row> rows = reports.after(from.xid(), from.position(), limit);
    String next =
        from.next(rows, LoadingReportRepository.Row::xid, LoadingReportRepository.Row::id);
    return new ExportPage(
        rows.stream()
            .map(
                r ->
                    new Exported(
                        r.id(),
                        r.orderId().toString(),
                        r.factory(),
                        r.line(),
                        r.receivedAt(),
                        json.readValue(r.body(), LoadingReportBody.class)))
            .toList(),
        next,
        rows.size() == limit);
  }

  private static UUID check(LoadingReportBody body) {
    if (body == null || !LoadingReportBody.FORMAT.equals(body.format())) {
      throw invalid("format must be " + LoadingReportBody.FORMAT);
    }
    UUID order;
    try {
      order = UUID.fromString(String.valueOf(body.orderId()));
    } catch (IllegalArgumentException e) {
      throw invalid("orderId is the order's UUID");
    }
    if (body.devices() == null || body.devices().isEmpty() || body.devices().size() > MAX_DEVICES) {
      throw invalid("devices: 1 to " + MAX_DEVICES + " entries");
    }
    Set<String> seen = new HashSet<>();
    for (LoadingReportBody.Entry e : body.devices()) {
      String eid;
      try {
        eid = Eid.of(e.eid()).value();
      } catch (IllegalArgumentException | NullPointerException ex) {
        throw new DomainException(BrokerError.INVALID_EID, "invalid EID " + e.eid());
      }
      if (!seen.add(eid)) {
        throw invalid("EID " + eid + " twice");
      }
      if (!OUTCOMES.contains(e.outcome())) {
        throw invalid("EID " + eid + ": outcome is INSTALLED, FAILED or NO_RESULT");
      }
      boolean signed = !"NO_RESULT".equals(e.outcome());
      if (signed != (e.profileInstallationResult() != null) || signed == (e.reason() != null)) {
        throw invalid("EID " + eid + ": a signed result, or NO_RESULT with the line's reason");
      }
    }
    return order;
  }

  private static DomainException invalid(String detail) {
    return new DomainException(BrokerError.INVALID_LOADING_REPORT, detail);
  }
}
