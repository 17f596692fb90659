package org.ifpp.broker.lines;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.ifpp.broker.web.Headers;
import org.ifpp.web.DomainException;

/**
 * The JSON header of the answer to a batch of claims ({@value #MEDIA_TYPE}): one entry per
 * requested EID, in request order. The binary answer is
 *
 * <pre>
 * body    = headerLength header package*
 * headerLength = 4 bytes, unsigned big-endian
 * header  = this record as JSON (UTF-8)
 * package = the BoundProfilePackage (BF36, exactly as uploaded) of each status 200 entry, in the
 *           header's order, packageLength bytes each; nothing follows the last one
 * </pre>
 *
 * the same framing as the binary upload ({@code PackageBatchBody}).
 *
 * @param claims the answers, in request order
 */
public record ClaimBatchResponse(List<Item> claims) {

  /** The media type of the binary answer. */
  public static final String MEDIA_TYPE = Headers.PACKAGE_BATCH;

  /**
   * One EID's answer: what the single claim answers with 200, or its refusal.
   *
   * @param eid the EID as sent
   * @param status 200, or the single claim's refusal status (400, 404, 409)
   * @param transactionId the package's transactionId (200 only)
   * @param batchId the Key Maker's batch (200 only)
   * @param leaseExpiresAt the claim's lease (200 only)
   * @param claimCount how many times the package was claimed, this claim included (200 only)
   * @param bindingCertificateUrl where the batch's binding certificate is (200 only)
   * @param packageLength the package's length in the body (200 only)
   * @param bppEuiccOtpk the one-time key the package is bound to, hex (200 only, when named)
   * @param code the refusal's problem code (not 200 only)
   * @param detail the refusal's detail (not 200 only)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      String eid,
      int status,
      String transactionId,
      String batchId,
      Instant leaseExpiresAt,
      Integer claimCount,
      String bindingCertificateUrl,
      Integer packageLength,
      String bppEuiccOtpk,
      String code,
      String detail) {

    static Item claimed(String eid, ClaimService.ClaimedPackage p) {
      ClaimResponse c = p.claim();
      return new Item(
          eid,
          200,
          c.transactionId(),
          c.batchId(),
          c.leaseExpiresAt(),
          c.claimCount(),
          c.bindingCertificateUrl(),
          p.boundProfilePackage().length,
          c.bppEuiccOtpk(),
          null,
          null);
    }

    static Item refused(String eid, DomainException e) {
      return new Item(
          eid,
          e.error().status().value(),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          e.code(),
          e.getMessage());
    }
  }
}
