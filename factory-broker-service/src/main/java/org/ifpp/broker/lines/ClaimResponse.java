package org.ifpp.broker.lines;

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
 */
public record ClaimResponse(
    String transactionId,
    String eid,
    String batchId,
    Instant leaseExpiresAt,
    String packageUrl,
    String bindingCertificateUrl,
    int claimCount) {}
