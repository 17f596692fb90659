package org.ifpp.broker.results;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.regex.Pattern;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.Scope;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.web.DomainException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The Key Maker's loading report: installation results since a cursor. */
@RestController
@RequestMapping(path = "/api/v1/results", produces = "application/json")
@Tag(name = "key maker")
class ResultsController {

  private final ResultExportService export;

  /** The batch id syntax of uploads (batches.BatchValidator). */
  private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  ResultsController(ResultExportService export) {
    this.export = export;
  }

  @GetMapping
  @Operation(
      summary = "Installation results after a cursor",
      description =
          "Start without 'after'; then pass the returned nextCursor. Each result appears exactly"
              + " once across pages. Optional batchId filter.")
  ResultExportResponse results(
      @Parameter(hidden = true) ApiClient client,
      @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "500") int limit,
      @RequestParam(required = false) String batchId) {
    client.require(Scope.EXPORT);
    if (batchId != null && !BATCH_ID.matcher(batchId).matches()) {
      throw new DomainException(BrokerError.INVALID_BATCH_ID, "batchId: [A-Za-z0-9._:-]{1,64}");
    }
    return export.export(after, limit, batchId);
  }
}
