package org.ifpp.keymaker.results;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.keymaker.web.Role;
import org.ifpp.web.DomainException;
import org.ifpp.web.idempotency.IdempotencyService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Broker API (broker credential only): push installation results. The Key Maker also pulls them
 * from the broker ({@link ResultCollector}); both paths verify the same way.
 */
@RestController
@RequestMapping(path = "/api/v1/results", produces = "application/json")
@Tag(name = "results", description = "signed installation results from the factory")
class ResultController {

  private final ResultService service;
  private final IdempotencyService idempotency;

  ResultController(ResultService service, IdempotencyService idempotency) {
    this.service = service;
    this.idempotency = idempotency;
  }

  record ResultUpload(String transactionId, String eid, String profileInstallationResult) {}

  record ResultsRequest(List<ResultUpload> results) {}

  record ResultsResponse(List<ResultService.ItemOutcome> results) {}

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Deliver signed installation results (BF37, base64)",
      description =
          "Each result is verified with the eUICC's key; per item: INSTALLED, FAILED,"
              + " FAILED_REBINDING, DUPLICATE or REJECTED with a code")
  ResponseEntity<ResultsResponse> push(
      @RequestHeader(name = IdempotencyService.HEADER, required = false) String key,
      @RequestBody ResultsRequest request) {
    if (request == null || request.results() == null || request.results().isEmpty()) {
      throw new DomainException(KeymakerError.EMPTY_RESULTS, "results: at least one");
    }
    if (request.results().size() > 1000) {
      throw new DomainException(KeymakerError.TOO_MANY_RESULTS, "at most 1000 per request");
    }
    List<ResultService.Reported> items = new ArrayList<>();
    for (int i = 0; i < request.results().size(); i++) {
      ResultUpload u = request.results().get(i);
      if (u == null || u.profileInstallationResult() == null) {
        throw new DomainException(
            KeymakerError.INVALID_RESULT, "results[" + i + "]: missing result");
      }
      byte[] pir;
      try {
        pir = Base64.getDecoder().decode(u.profileInstallationResult().strip());
      } catch (IllegalArgumentException e) {
        throw new DomainException(KeymakerError.INVALID_BASE64, "results[" + i + "] is not base64");
      }
      items.add(ResultService.Reported.of(u.transactionId(), u.eid(), pir));
    }
    return idempotency
        .execute(
            Role.BROKER.name(),
            key,
            "results",
            request,
            ResultsResponse.class,
            () -> new ResultsResponse(service.process("broker", items)))
        .respond(HttpStatus.OK);
  }
}
