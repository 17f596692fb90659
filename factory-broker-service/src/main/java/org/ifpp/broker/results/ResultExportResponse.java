package org.ifpp.broker.results;

import java.time.Instant;
import java.util.List;

/**
 * One page of installation results.
 *
 * @param results the results after the request's cursor, in commit order
 * @param nextCursor pass as {@code after} to get the following page (equal to the request's cursor
 *     when nothing new has been committed)
 * @param hasMore true when a full page was returned: ask again at once
 */
public record ResultExportResponse(
    List<InstallationResult> results, String nextCursor, boolean hasMore) {

  /**
   * A result as the line reported it; the Key Maker verifies the signature (DPFF05-07).
   *
   * @param sequence the result's number (unique, increasing in insertion order)
   * @param transactionId the package
   * @param eid the chip
   * @param batchId the batch
   * @param outcome installed or failed, as the line read it
   * @param profileInstallationResult base64 of the signed result (BF37), as reported
   * @param line the reporting line
   * @param reportedAt when it was recorded
   */
  public record InstallationResult(
      long sequence,
      String transactionId,
      String eid,
      String batchId,
      String outcome,
      String profileInstallationResult,
      String line,
      Instant reportedAt) {}
}
