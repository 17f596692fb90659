package org.ifpp.broker.batches;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.ifpp.web.idempotency.Fingerprint;
import org.ifpp.web.idempotency.Fingerprinted;

/**
 * A batch of bound packages from the Key Maker, all for one factory.
 *
 * @param batchId the Key Maker's id for this batch (unique, [A-Za-z0-9._:-]{1,64})
 * @param targetFactory the factory whose lines may claim these packages
 * @param targetLine optional: restrict the whole batch to one line
 * @param bindingCertificate base64 DER of the Key Maker's binding certificate (public; the chip
 *     checks it, IFPP.md section 6 step 2)
 * @param packages the packages
 */
public record UploadBatchRequest(
    String batchId,
    String targetFactory,
    String targetLine,
    String bindingCertificate,
    List<PackageUpload> packages)
    implements Fingerprinted {

  @Override
  public void fingerprint(Fingerprint into) {
    into.field(batchId).field(targetFactory).field(targetLine).field(bindingCertificate);
    if (packages == null) {
      into.count(-1);
      return;
    }
    into.count(packages.size());
    for (PackageUpload p : packages) {
      if (p == null) {
        into.count(-1);
        continue;
      }
      into.field(p.eid()).field(p.transactionId()).field(p.targetLine());
      into.field(p.boundProfilePackage()).field(p.bppEuiccOtpk());
    }
  }

  /**
   * One package.
   *
   * @param eid the 32-digit EID of the chip it is bound to
   * @param transactionId the binding's transactionId, hex (as in BF23 tag 80)
   * @param targetLine optional: restrict this package to one line
   * @param boundProfilePackage base64 of the DER BoundProfilePackage (BF36), stored as is
   * @param bppEuiccOtpk optional: the one-time key the package is bound to (SGP.22 bppEuiccOtpk,
   *     otPK.EUICC as 04||X||Y, 130 hex digits), relayed in every claim of the package
   */
  public record PackageUpload(
      @Schema(example = "89049032123451234512345678901235") String eid,
      @Schema(example = "0123456789ABCDEF0123456789ABCDEF") String transactionId,
      String targetLine,
      String boundProfilePackage,
      String bppEuiccOtpk) {

    /** A package uploaded without naming its one-time key. */
    public PackageUpload(
        String eid, String transactionId, String targetLine, String boundProfilePackage) {
      this(eid, transactionId, targetLine, boundProfilePackage, null);
    }

    @Override
    public String toString() {
      return "PackageUpload[eid=" + eid + ", transactionId=" + transactionId + "]";
    }
  }

  @Override
  public String toString() {
    return "UploadBatchRequest[batchId="
        + batchId
        + ", targetFactory="
        + targetFactory
        + ", packages="
        + (packages == null ? 0 : packages.size())
        + "]";
  }
}
