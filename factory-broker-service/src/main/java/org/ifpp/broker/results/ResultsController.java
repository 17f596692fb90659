package org.ifpp.broker.results;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.Scope;
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
    return export.export(after, limit, batchId);
  }
}
