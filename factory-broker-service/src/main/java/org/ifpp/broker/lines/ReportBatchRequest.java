package org.ifpp.broker.lines;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Several chips' answers from one line in one call ({@code POST /api/v1/reports}).
 *
 * @param results 1 to {@value LineController#MAX_REPORTS} items, each what the single report
 *     ({@code POST /api/v1/packages/{transactionId}/result}) carries plus its transactionId
 */
public record ReportBatchRequest(
    @ArraySchema(minItems = 1, maxItems = LineController.MAX_REPORTS) List<Item> results) {

  /**
   * One chip's answer.
   *
   * @param transactionId the package, as hex digits
   * @param eid optional: the chip; if given it must be the package's EID
   * @param outcome optional: {@code installed} or {@code failed}; if given it must agree with the
   *     signed result
   * @param profileInstallationResult base64 of the chip's signed ProfileInstallationResult (BF37)
   */
  public record Item(
      String transactionId,
      String eid,
      @Schema(allowableValues = {"installed", "failed"}) String outcome,
      String profileInstallationResult) {}
}
