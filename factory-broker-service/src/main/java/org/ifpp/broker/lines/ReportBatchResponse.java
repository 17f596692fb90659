package org.ifpp.broker.lines;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.ifpp.web.DomainException;

/**
 * The answer to a batch of reports: one entry per item, in request order.
 *
 * @param results the items' answers
 */
public record ReportBatchResponse(List<Item> results) {

  /**
   * One item's answer: either what the single report answers with 200 ({@code outcome}, {@code
   * reportedAt}), or the refusal it would have given ({@code code}, {@code detail}), with the HTTP
   * status the single report would have had.
   *
   * @param transactionId the item's transactionId as sent
   * @param status 200, or the single report's refusal status (400, 404, 409)
   * @param outcome installed or failed (200 only)
   * @param reportedAt when the result was first recorded (200 only; a repeat returns the first)
   * @param code the refusal's problem code (not 200 only)
   * @param detail the refusal's detail (not 200 only)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      String transactionId,
      int status,
      @Schema(allowableValues = {"installed", "failed"}) String outcome,
      Instant reportedAt,
      String code,
      String detail) {

    static Item reported(ReportResponse r) {
      return new Item(r.transactionId(), 200, r.outcome(), r.reportedAt(), null, null);
    }

    static Item refused(String transactionId, DomainException e) {
      return new Item(
          transactionId, e.error().status().value(), null, null, e.code(), e.getMessage());
    }
  }
}
