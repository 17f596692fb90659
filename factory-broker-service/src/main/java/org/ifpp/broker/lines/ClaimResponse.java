package org.ifpp.broker.lines;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A claim held by the calling line until {@code leaseExpiresAt}.
 *
 * @param transactionId the package's transactionId (hex), its id in the other line calls
 * @param eid the chip
 * @param batchId the batch it came in
 * @param leaseExpiresAt after this instant another line may claim the package
 * @param packageUrl GET: the bound package bytes (application/octet-stream)
 * @param bindingCertificateUrl GET: the Key Maker's binding certificate (DER)
 * @param claimCount how many times this package has been claimed (1 on a first claim)
 * @param bppEuiccOtpk the one-time key the package is bound to (SGP.22 bppEuiccOtpk, otPK.EUICC
 *     04||X||Y as upper-case hex), as the Key Maker named it; absent if it named none. The line
 *     passes it to the chip, which then tries only that key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimResponse(
    String transactionId,
    String eid,
    String batchId,
    Instant leaseExpiresAt,
    String packageUrl,
    String bindingCertificateUrl,
    int claimCount,
    String bppEuiccOtpk) {}
